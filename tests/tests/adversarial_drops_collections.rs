//! Every child of the collections (`join_all`, `try_join_all`, `select_all`,
//! `FutureSet` with and without a limit, `join_all_limited`, `buffer_unordered`) is
//! dropped exactly once, and so is every output it gives, whatever goes wrong: a child
//! panics on its first or a later poll, the collection is dropped after one to three
//! polls, or a child's `Drop` panics, when the child finishes or when the collection is
//! dropped with it still running. Children not started yet (beyond a limit) are dropped
//! with the collection too. Sizes cross the groups of 64 children the ready queue keeps
//! one word of bits for (65, 130) and the 32 polls a collection makes per poll.

mod drop_log;

use std::rc::Rc;

use drop_log::{
    AsOption, Child, LocalFuture, Log, Plan, assert_panicked, complete, finishing, mixed,
    panics_dropping_each_once, plans, poll_then_drop,
};
use futures::StreamExt;
use patience::FutureSet;

/// The sizes every test runs with. Under Miri, which is slow, two: 5 spans two slab
/// groups (of 4 and 4 slots) and is above the limit; 65 spans two ready-queue groups.
const SIZES: &[usize] = if cfg!(miri) {
    &[5, 65]
} else {
    &[2, 8, 13, 32, 64, 65, 130]
};

/// The limit of the limited forms: below every size but 2, so children wait their turn.
const LIMIT: usize = 4;

/// Every child of `log`, made now: the collection owns them before its first poll.
fn children(log: &Rc<Log>) -> Vec<Child<AsOption>> {
    (0..log.k()).map(|id| log.child(id)).collect()
}

/// The ids of the outputs (`None` for a rejected one), sorted: the unordered forms give
/// them in completion order. The outputs are dropped on the way.
fn ids(outputs: Vec<Option<drop_log::Out>>) -> Vec<Option<usize>> {
    let mut ids: Vec<_> = outputs.into_iter().map(|o| o.map(|o| o.id)).collect();
    ids.sort_unstable();
    ids
}

type Form = fn(&Rc<Log>) -> LocalFuture<Vec<Option<usize>>>;

/// The forms that give every child's output.
const ALL_OUTPUTS: [(&str, Form); 6] = [
    ("join_all", |log| {
        let all = patience::join_all(children(log));
        Box::pin(async move { ids(all.await) })
    }),
    ("join_all_limited", |log| {
        let all = patience::join_all_limited(children(log), LIMIT);
        Box::pin(async move { ids(all.await) })
    }),
    ("FutureSet", |log| {
        let set: FutureSet<_> = children(log).into_iter().collect();
        Box::pin(async move { ids(set.collect().await) })
    }),
    ("FutureSet::with_limit", |log| {
        let mut set = FutureSet::with_limit(LIMIT);
        set.extend(children(log));
        Box::pin(async move { ids(set.collect().await) })
    }),
    ("FutureSet, pushed while running", |log| {
        // Half the children are pushed after the first output came out.
        let mut rest = children(log);
        let mut set: FutureSet<_> = rest.drain(..rest.len() / 2).collect();
        Box::pin(async move {
            let mut outputs = vec![set.next().await.expect("a first output")];
            set.extend(rest);
            outputs.extend(set.collect::<Vec<_>>().await);
            ids(outputs)
        })
    }),
    ("buffer_unordered", |log| {
        let stream = patience::buffer_unordered(children(log), LIMIT);
        Box::pin(async move { ids(stream.collect().await) })
    }),
];

/// `try_join_all`: the ids of the outputs, or of the error.
fn try_join_all(log: &Rc<Log>) -> LocalFuture<Result<Vec<usize>, usize>> {
    let all = patience::try_join_all((0..log.k()).map(|id| log.try_child(id)).collect::<Vec<_>>());
    Box::pin(async move {
        all.await
            .map(|outputs| outputs.into_iter().map(|o| o.id).collect())
            .map_err(|error| error.id)
    })
}

/// `select_all`: the winner's id (`None` if its value was rejected) and index; the
/// futures still running are dropped before it returns.
fn select_all(log: &Rc<Log>) -> LocalFuture<(Option<usize>, usize)> {
    let select = patience::select_all(children(log));
    Box::pin(async move {
        let (output, index, rest) = select.await;
        drop(rest);
        (output.map(|o| o.id), index)
    })
}

// ---------------------------------------------------------------------------------------
// The forms that give every output
// ---------------------------------------------------------------------------------------

#[test]
fn collections_drop_every_child_and_output_once_when_they_complete() {
    for (name, form) in ALL_OUTPUTS {
        for &k in SIZES {
            // Children finish on polls 1 to 3; every third is rejected (gives `None`).
            let plan = |i: usize| match i % 3 {
                0 => Plan::Reject(2),
                _ => finishing(i),
            };
            let log = Rc::new(Log::new(plans(k, &[], plan)));
            let ids = complete(form(&log)).expect("the collection finishes");
            let expected: Vec<_> = {
                let mut e: Vec<_> = (0..k).map(|i| (i % 3 != 0).then_some(i)).collect();
                e.sort_unstable();
                e
            };
            assert_eq!(ids, expected, "{name}, {k} children");
            log.assert_each_dropped_once(&format!("{name}, completes"));
        }
    }
}

#[test]
fn collections_drop_every_child_and_output_once_when_a_child_panics_on_its_first_poll() {
    for (name, form) in ALL_OUTPUTS {
        for &k in SIZES {
            // The last child, so under a limit the others finish first and their outputs
            // wait in the collection (or in the caller's `Vec`) when it panics.
            let bad = k - 1;
            panics_dropping_each_once(
                form,
                Log::new(plans(k, &[(bad, Plan::Panic(1))], finishing)),
                &format!("child {bad} panics on poll 1"),
                &format!("{name}, a child panics on poll 1"),
            );
        }
    }
}

#[test]
fn collections_drop_every_child_and_output_once_when_a_child_panics_on_a_later_poll() {
    for (name, form) in ALL_OUTPUTS {
        for &k in SIZES {
            panics_dropping_each_once(
                form,
                Log::new(plans(k, &[(0, Plan::Panic(3))], mixed)),
                "child 0 panics on poll 3",
                &format!("{name}, a child panics on poll 3"),
            );
        }
    }
}

#[test]
fn collections_drop_every_child_and_output_once_when_dropped_after_one_to_three_polls() {
    for (name, form) in ALL_OUTPUTS {
        for &k in SIZES {
            for polls in 1..=3 {
                // The first child never finishes (so under a limit some never start);
                // the others finish on polls 1 to 3 or stay pending.
                let log = Rc::new(Log::new(plans(k, &[(0, Plan::Pending)], mixed)));
                assert_eq!(poll_then_drop(form(&log), polls), Ok(()), "{name}, {k}");
                log.assert_each_dropped_once(&format!("{name}, dropped after {polls} polls"));
            }
        }
    }
}

#[test]
fn collections_drop_every_child_and_output_once_when_a_finished_childs_drop_panics() {
    for (name, form) in ALL_OUTPUTS {
        for &k in SIZES {
            // The child is dropped as it finishes: its drop panics with its output in
            // hand, which must not leak. (The others all finish, so that under a limit
            // the bad child gets its turn.)
            let bad = k / 2;
            panics_dropping_each_once(
                form,
                Log::new(plans(k, &[(bad, Plan::Ready(2))], finishing)).drop_panics(bad),
                &format!("drop of child {bad} panics"),
                &format!("{name}, a drop panics when its child finishes"),
            );
        }
    }
}

#[test]
fn collections_drop_every_child_and_output_once_when_a_running_childs_drop_panics() {
    for (name, form) in ALL_OUTPUTS {
        for &k in SIZES {
            // The collection is dropped while the child (and, for the limited forms,
            // children not started) are still in it; the ones after it must be dropped
            // too.
            for bad in [0, k / 2, k - 1] {
                let plan = plans(k, &[(bad, Plan::Pending)], mixed);
                let log = Rc::new(Log::new(plan).drop_panics(bad));
                let result = poll_then_drop(form(&log), 1);
                assert_panicked(result, &format!("drop of child {bad} panics"), name);
                log.assert_each_dropped_once(&format!("{name}, a running child's drop panics"));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// try_join_all
// ---------------------------------------------------------------------------------------

#[test]
fn try_join_all_drops_every_child_and_output_once_on_the_first_error() {
    for &k in SIZES {
        let bad = k - 1;
        let log = Rc::new(Log::new(plans(k, &[(bad, Plan::Reject(2))], mixed)));
        assert_eq!(complete(try_join_all(&log)), Ok(Err(bad)));
        log.assert_each_dropped_once("try_join_all, first error");
        let log = Rc::new(Log::new(plans(k, &[], finishing)));
        assert_eq!(complete(try_join_all(&log)), Ok(Ok((0..k).collect())));
        log.assert_each_dropped_once("try_join_all, all succeed");
    }
}

#[test]
fn try_join_all_drops_every_child_and_output_once_when_a_child_panics() {
    for &k in SIZES {
        for poll in [1, 3] {
            let bad = (k / 2 + poll as usize) % k;
            panics_dropping_each_once(
                try_join_all,
                Log::new(plans(k, &[(bad, Plan::Panic(poll))], mixed)),
                &format!("child {bad} panics on poll {poll}"),
                &format!("try_join_all, a child panics on poll {poll}"),
            );
        }
    }
}

#[test]
fn try_join_all_drops_every_child_and_output_once_when_dropped_or_a_drop_panics() {
    for &k in SIZES {
        for polls in 1..=3 {
            let log = Rc::new(Log::new(plans(k, &[(0, Plan::Pending)], mixed)));
            assert_eq!(poll_then_drop(try_join_all(&log), polls), Ok(()));
            log.assert_each_dropped_once(&format!("try_join_all, dropped after {polls} polls"));
        }
        // The failing child's drop panics while its error is in flight.
        let bad = k / 2;
        panics_dropping_each_once(
            try_join_all,
            Log::new(plans(k, &[(bad, Plan::Reject(2))], mixed)).drop_panics(bad),
            &format!("drop of child {bad} panics"),
            "try_join_all, the failing child's drop panics",
        );
    }
}

// ---------------------------------------------------------------------------------------
// select_all
// ---------------------------------------------------------------------------------------

#[test]
fn select_all_drops_every_future_and_output_once_when_it_completes() {
    for &k in SIZES {
        // Only the last finishes, on its third poll; the others wait without waking.
        let winner = k - 1;
        let log = Rc::new(Log::new(plans(k, &[(winner, Plan::Ready(3))], |_| {
            Plan::Pending
        })));
        assert_eq!(complete(select_all(&log)), Ok((Some(winner), winner)));
        log.assert_each_dropped_once("select_all, completes");
    }
}

#[test]
fn select_all_drops_every_future_once_when_a_future_panics() {
    for &k in SIZES {
        for (bad, poll) in [(k - 1, 1), (0, 3)] {
            panics_dropping_each_once(
                select_all,
                Log::new(plans(k, &[(bad, Plan::Panic(poll))], |_| Plan::Pending)),
                &format!("child {bad} panics on poll {poll}"),
                &format!("select_all, a future panics on poll {poll}"),
            );
        }
    }
}

#[test]
fn select_all_drops_every_future_once_when_dropped_after_one_to_three_polls() {
    for &k in SIZES {
        for polls in 1..=3 {
            let log = Rc::new(Log::new(plans(k, &[(k / 3, Plan::Ready(4))], |_| {
                Plan::Pending
            })));
            assert_eq!(poll_then_drop(select_all(&log), polls), Ok(()));
            log.assert_each_dropped_once(&format!("select_all, dropped after {polls} polls"));
        }
    }
}

#[test]
fn select_all_drops_every_future_and_output_once_when_a_drop_panics() {
    for &k in SIZES {
        let winner = k / 2;
        let loser = if winner == k - 1 { 0 } else { k - 1 };
        for bad in [winner, loser] {
            // The winner's own drop (it leaves the `Vec` as it wins), or a loser's (in
            // the caller's `drop(rest)`).
            let plan = plans(k, &[(winner, Plan::Ready(2))], |_| Plan::Pending);
            panics_dropping_each_once(
                select_all,
                Log::new(plan).drop_panics(bad),
                &format!("drop of child {bad} panics"),
                "select_all, a drop panics after a win",
            );
        }
        // Or the select is dropped while every future is pending.
        let log = Rc::new(Log::new(plans(k, &[], |_| Plan::Pending)).drop_panics(0));
        assert_panicked(
            poll_then_drop(select_all(&log), 1),
            "drop of child 0 panics",
            "",
        );
        log.assert_each_dropped_once("select_all, a drop panics when dropped pending");
    }
}
