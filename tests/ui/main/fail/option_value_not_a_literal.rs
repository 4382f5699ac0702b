const RT: &str = "tokio";

#[patience::main(runtime = RT)]
async fn main() {}
