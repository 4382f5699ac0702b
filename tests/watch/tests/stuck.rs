//! A `block_on` parked with no wake-up for longer than the stuck threshold reports what
//! it waits on; `dump()` gives the same on demand, from any thread, on any runtime.

use std::future::pending;
use std::time::Duration;

use patience::watch::{Report, ReportKind};
use patience_watch_tests::{Gate, take, watched};

fn stuck_reports(reports: &[Report]) -> Vec<&Report> {
    reports
        .iter()
        .filter(|r| matches!(r.kind, ReportKind::Stuck { .. }))
        .collect()
}

#[test]
fn a_stuck_block_on_lists_the_pending_branches_with_their_locations() {
    let _guard = watched(Duration::from_secs(5), Duration::from_millis(200));
    let gate = Gate::default();
    let opener = gate.open_after(900);
    let line = line!() + 3;
    let won = patience::block_on(async {
        patience::select! {
            v = gate.wait() => v,
            v = pending::<u8>() => v,
        }
    });
    opener.join().unwrap();
    assert_eq!(won, 1);
    let reports = take();
    let stuck = stuck_reports(&reports);
    assert_eq!(stuck.len(), 1, "one report per park: {reports:#?}");
    let ReportKind::Stuck { parked } = stuck[0].kind else {
        unreachable!()
    };
    assert!(parked >= Duration::from_millis(200), "{parked:?}");
    let waiting = &stuck[0].waiting.waiting;
    assert_eq!(waiting.len(), 1, "{:#?}", stuck[0].waiting);
    let select = &waiting[0];
    assert_eq!(select.place.macro_name, "select!");
    assert_eq!(
        select.path.iter().map(|p| p.macro_name).collect::<Vec<_>>(),
        ["block_on"]
    );
    let pending: Vec<_> = select
        .pending
        .iter()
        .map(|(child, _)| (child.index, child.text, child.line, child.column))
        .collect();
    assert_eq!(
        pending,
        [
            (0, "gate.wait()", line, 17),
            (1, "pending::<u8>()", line + 1, 17)
        ]
    );
    // The time since each branch was last polled: about as long as the park.
    assert!(
        select
            .pending
            .iter()
            .all(|(_, since)| *since >= Duration::from_millis(150))
    );
    let text = stuck[0].to_string();
    assert!(text.contains(&format!("stuck.rs:{line}:17")), "{text}");
}

#[test]
fn a_finished_select_is_no_longer_listed() {
    let _guard = watched(Duration::from_secs(5), Duration::from_secs(60));
    let gate = Gate::default();
    let opener = gate.open_after(50);
    patience::block_on(async {
        patience::select! {
            v = gate.wait() => v,
            v = pending::<u8>() => v,
        }
    });
    opener.join().unwrap();
    let dump = patience::watch::dump();
    assert!(
        dump.waiting
            .iter()
            .all(|w| !w.place.file.ends_with("stuck.rs")),
        "{dump}"
    );
}

#[test]
fn dump_from_another_thread_shows_a_select_waiting_in_a_tokio_task() {
    let _guard = watched(Duration::from_secs(5), Duration::from_secs(60));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let gate = Gate::default();
    let line = line!() + 6;
    let task = runtime.spawn({
        let gate = gate.clone();
        async move {
            let (a, b) = patience::join!(
                async {
                    patience::select! { v = gate.wait() => v, v = pending::<u8>() => v }
                },
                std::future::ready(2u8),
            );
            a + b
        }
    });
    // Until the task has waited once, there is nothing to list. The select is listed
    // as soon as its poll returns, while the join around it may still be in its own
    // first poll: wait for both.
    let dump = loop {
        let dump = std::thread::spawn(patience::watch::dump).join().unwrap();
        let listed = |name: &str| dump.waiting.iter().any(|w| w.place.macro_name == name);
        if listed("select!") && listed("join!") {
            break dump;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let select = dump
        .waiting
        .iter()
        .find(|w| w.place.macro_name == "select!")
        .unwrap();
    let path: Vec<_> = select.path.iter().map(|p| p.macro_name).collect();
    assert_eq!(path, ["join!"], "{dump}");
    assert_eq!(select.path[0].child.as_ref().unwrap().index, 0);
    assert_eq!(select.place.line, line);
    let texts: Vec<_> = select.pending.iter().map(|(c, _)| c.text).collect();
    assert_eq!(texts, ["gate.wait()", "pending::<u8>()"], "{dump}");
    let join = dump
        .waiting
        .iter()
        .find(|w| w.place.macro_name == "join!")
        .unwrap();
    // The join's second child finished on its first poll: only the first is pending.
    let pending: Vec<_> = join.pending.iter().map(|(c, _)| c.index).collect();
    assert_eq!(pending, [0], "{dump}");
    gate.open();
    assert_eq!(runtime.block_on(task).unwrap(), 3);
}
