// Ported from `futures::select!`, which borrows a future named by a bare identifier:
// patience moves it (as tokio does), so a loop that reuses it fails with E0382, and the
// "value moved here" note points at the branch. The fix is `n = &mut slow => …`.
use futures::future::{self, FutureExt};

fn main() {
    patience::block_on(async {
        let slow = future::pending::<u32>().fuse();
        for round in 0..3 {
            patience::select! {
                n = slow => println!("slow finished with {n}"),
                r = future::ready(round).fuse() => println!("round {r}"),
            }
        }
    });
}
