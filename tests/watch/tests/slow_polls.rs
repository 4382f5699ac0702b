//! A poll that blocks the thread is reported with its branch or child, the text and
//! `file:line:column` of its expression, its duration and the chain around it.
//!
//! The layout of the macro calls below matters: the tests assert the lines and columns
//! of the expressions (rustfmt leaves the inside of `select! { }` alone).

use std::future::pending;
use std::time::Duration;

use patience::watch::{Report, ReportKind};
use patience_watch_tests::{blocking, take, watched, watched_async};

fn slow_polls(reports: &[Report]) -> Vec<&Report> {
    reports
        .iter()
        .filter(|r| matches!(r.kind, ReportKind::SlowPoll { .. }))
        .collect()
}

fn duration(report: &Report) -> Duration {
    match report.kind {
        ReportKind::SlowPoll { duration } => duration,
        _ => unreachable!(),
    }
}

#[test]
fn a_select_branch_that_sleeps_is_reported_at_its_expression() {
    let _guard = watched(Duration::from_millis(10), Duration::from_secs(60));
    let line = line!() + 4;
    let won = patience::block_on(async {
        patience::select! {
            v = pending::<u8>() => v,
            v = blocking(60, 7) => v,
        }
    });
    assert_eq!(won, 7);
    let reports = take();
    let slow = slow_polls(&reports);
    assert_eq!(slow.len(), 1, "{reports:#?}");
    let chain = &slow[0].chain;
    let branch = chain.last().expect("a chain");
    assert_eq!(branch.macro_name, "select!");
    assert!(branch.file.ends_with("slow_polls.rs"), "{}", branch.file);
    let child = branch.child.as_ref().expect("a branch");
    assert_eq!((child.index, child.text), (1, "blocking(60, 7)"));
    assert_eq!((child.line, child.column), (line, 17));
    // The chain starts at the `block_on` of this test.
    assert_eq!(chain[0].macro_name, "block_on");
    assert_eq!(chain.len(), 2);
    assert!(
        duration(slow[0]) >= Duration::from_millis(50),
        "{:?}",
        slow[0].kind
    );
    // Its line names both.
    let line_text = slow[0].to_string();
    assert!(
        line_text.contains("select! branch 1 `blocking(60, 7)` at "),
        "{line_text}"
    );
    assert!(
        line_text.contains(&format!("slow_polls.rs:{line}:17")),
        "{line_text}"
    );
}

#[test]
fn a_join_child_inside_a_select_branch_is_reported_with_the_whole_chain() {
    let _guard = watched(Duration::from_millis(10), Duration::from_secs(60));
    let select_line = line!() + 4;
    let join_line = select_line + 1;
    let won = patience::block_on(async {
        patience::select! {
            v = async { let (a, b) = patience::join!(async { 1u8 },
                blocking(50, 2)); a + b } => v,
            v = pending::<u8>() => v,
        }
    });
    assert_eq!(won, 3);
    let reports = take();
    let slow = slow_polls(&reports);
    assert_eq!(slow.len(), 1, "{reports:#?}");
    let chain = &slow[0].chain;
    let names: Vec<_> = chain.iter().map(|p| p.macro_name).collect();
    assert_eq!(names, ["block_on", "select!", "join!"]);
    let branch = chain[1].child.as_ref().expect("a branch");
    assert_eq!(
        (branch.index, branch.line, branch.column),
        (0, select_line, 17)
    );
    let child = chain[2].child.as_ref().expect("a child");
    assert_eq!((child.index, child.text), (1, "blocking(50, 2)"));
    assert_eq!((child.line, child.column), (join_line, 17));
}

#[test]
fn quick_polls_are_not_reported() {
    let _guard = watched(Duration::from_millis(50), Duration::from_secs(60));
    for _ in 0..100 {
        let n = patience::block_on(async {
            let (a, b) = patience::join!(async { 1 }, async { 2 });
            patience::select! { v = std::future::ready(a + b) => v }
        });
        assert_eq!(n, 3);
    }
    assert!(slow_polls(&take()).is_empty());
}

#[patience::test]
async fn a_patience_test_is_the_root_of_the_chain() {
    let _guard = watched_async(Duration::from_millis(10), Duration::from_secs(60)).await;
    let (_, b) = patience::join!(std::future::ready(0u8), blocking(40, 1));
    assert_eq!(b, 1);
    let reports = take();
    let slow = slow_polls(&reports);
    assert_eq!(slow.len(), 1, "{reports:#?}");
    let names: Vec<_> = slow[0].chain.iter().map(|p| p.macro_name).collect();
    assert_eq!(names, ["test", "join!"]);
}

#[patience::test(runtime = "tokio", flavor = "multi_thread", worker_threads = 2)]
async fn on_tokio_multi_thread_a_slow_branch_in_a_spawned_task_is_reported() {
    let _guard = watched_async(Duration::from_millis(10), Duration::from_secs(60)).await;
    let line = line!() + 3;
    let task = tokio::spawn(async {
        patience::select! {
            v = blocking(40, 5) => v,
            v = pending::<u8>() => v,
        }
    });
    assert_eq!(task.await.unwrap(), 5);
    let reports = take();
    let slow = slow_polls(&reports);
    assert_eq!(slow.len(), 1, "{reports:#?}");
    let branch = slow[0].chain.last().unwrap();
    let child = branch.child.as_ref().unwrap();
    assert_eq!(
        (branch.macro_name, child.index, child.line, child.column),
        ("select!", 0, line, 17)
    );
    // A spawned task's polls are not inside the test's frame: the select is the root.
    assert_eq!(slow[0].chain.len(), 1);
}

#[patience::test(runtime = "smol")]
async fn on_smol_a_slow_branch_is_reported() {
    let _guard = watched_async(Duration::from_millis(10), Duration::from_secs(60)).await;
    let line = line!() + 2;
    let v = patience::select! {
        v = blocking(40, 9) => v,
        v = pending::<u8>() => v,
    };
    assert_eq!(v, 9);
    let reports = take();
    let slow = slow_polls(&reports);
    assert_eq!(slow.len(), 1, "{reports:#?}");
    let names: Vec<_> = slow[0].chain.iter().map(|p| p.macro_name).collect();
    assert_eq!(names, ["test", "select!"]);
    let child = slow[0].chain[1].child.as_ref().unwrap();
    assert_eq!((child.index, child.line, child.column), (0, line, 13));
}
