//! Exact child-poll counts of `join!` (the cost model in its docs) and the behaviour of
//! the per-child wakers that joins of more than 12 futures use.

#[allow(dead_code)] // Each test file uses part of the helpers.
mod join_support;

use std::sync::Arc;
use std::task::Waker;

use join_support::{Board, Driver, WakeCount};

/// Opens the gates one at a time in `order`, polling the join after each, and returns
/// the total number of child polls (the first poll included).
fn polls_when_woken_one_at_a_time<T>(
    board: &Board,
    join: &mut Driver<'_, T>,
    order: impl IntoIterator<Item = usize>,
) -> usize {
    assert!(join.poll().is_pending());
    let mut order = order.into_iter().peekable();
    while let Some(i) = order.next() {
        board.open(i);
        assert_eq!(join.poll().is_ready(), order.peek().is_none());
    }
    board.total_polls()
}

#[test]
fn sixty_four_children_woken_one_at_a_time_cost_two_polls_each() {
    let board = Board::new(64);
    let g = |i| board.gate(i);
    let mut join = Driver::new(async {
        patience::join!(
            g(0),
            g(1),
            g(2),
            g(3),
            g(4),
            g(5),
            g(6),
            g(7),
            g(8),
            g(9),
            g(10),
            g(11),
            g(12),
            g(13),
            g(14),
            g(15),
            g(16),
            g(17),
            g(18),
            g(19),
            g(20),
            g(21),
            g(22),
            g(23),
            g(24),
            g(25),
            g(26),
            g(27),
            g(28),
            g(29),
            g(30),
            g(31),
            g(32),
            g(33),
            g(34),
            g(35),
            g(36),
            g(37),
            g(38),
            g(39),
            g(40),
            g(41),
            g(42),
            g(43),
            g(44),
            g(45),
            g(46),
            g(47),
            g(48),
            g(49),
            g(50),
            g(51),
            g(52),
            g(53),
            g(54),
            g(55),
            g(56),
            g(57),
            g(58),
            g(59),
            g(60),
            g(61),
            g(62),
            g(63),
        )
    });
    // Reverse order: the worst case for poll-everything joins.
    let polls = polls_when_woken_one_at_a_time(&board, &mut join, (0..64).rev());
    assert_eq!(polls, 2 * 64);
    // Each opening woke the task once.
    assert_eq!(join.wakes.get(), 64);
}

#[test]
fn thirty_two_children_woken_one_at_a_time_cost_two_polls_each() {
    let board = Board::new(32);
    let g = |i| board.gate(i);
    let mut join = Driver::new(async {
        patience::join!(
            g(0),
            g(1),
            g(2),
            g(3),
            g(4),
            g(5),
            g(6),
            g(7),
            g(8),
            g(9),
            g(10),
            g(11),
            g(12),
            g(13),
            g(14),
            g(15),
            g(16),
            g(17),
            g(18),
            g(19),
            g(20),
            g(21),
            g(22),
            g(23),
            g(24),
            g(25),
            g(26),
            g(27),
            g(28),
            g(29),
            g(30),
            g(31),
        )
    });
    let polls = polls_when_woken_one_at_a_time(
        &board,
        &mut join,
        [7, 31, 0, 16]
            .into_iter()
            .chain((0..32).filter(|i| ![7, 31, 0, 16].contains(i))),
    );
    assert_eq!(polls, 2 * 32);
}

#[test]
fn joins_of_up_to_twelve_poll_every_unfinished_child_on_each_wake_up() {
    // K children woken one at a time: K first polls, then K, K-1, ..., 1.
    for (k, expected) in [(2, 5), (8, 44)] {
        let board = Board::new(k);
        let g = |i| board.gate(i);
        let polls = if k == 2 {
            let mut join = Driver::new(async { patience::join!(g(0), g(1)) });
            polls_when_woken_one_at_a_time(&board, &mut join, 0..k)
        } else {
            let mut join = Driver::new(async {
                patience::join!(g(0), g(1), g(2), g(3), g(4), g(5), g(6), g(7))
            });
            polls_when_woken_one_at_a_time(&board, &mut join, 0..k)
        };
        assert_eq!(polls, expected, "k = {k}");
        assert_eq!(polls, k + k * (k + 1) / 2);
    }
    // Twelve is the largest such join; thirteen already tracks wake-ups.
    let board = Board::new(13);
    let g = |i| board.gate(i);
    let mut join = Driver::new(async {
        patience::join!(
            g(0),
            g(1),
            g(2),
            g(3),
            g(4),
            g(5),
            g(6),
            g(7),
            g(8),
            g(9),
            g(10),
            g(11)
        )
    });
    assert_eq!(
        polls_when_woken_one_at_a_time(&board, &mut join, 0..12),
        12 + 12 * 13 / 2
    );
    let board = Board::new(13);
    let g = |i| board.gate(i);
    let mut join = Driver::new(async {
        patience::join!(
            g(0),
            g(1),
            g(2),
            g(3),
            g(4),
            g(5),
            g(6),
            g(7),
            g(8),
            g(9),
            g(10),
            g(11),
            g(12)
        )
    });
    assert_eq!(
        polls_when_woken_one_at_a_time(&board, &mut join, 0..13),
        2 * 13
    );
}

#[test]
fn spurious_wake_ups_of_one_child_never_repoll_the_others() {
    let board = Board::new(64);
    let g = |i| board.gate(i);
    let mut join = Driver::new(async {
        patience::join!(
            g(0),
            g(1),
            g(2),
            g(3),
            g(4),
            g(5),
            g(6),
            g(7),
            g(8),
            g(9),
            g(10),
            g(11),
            g(12),
            g(13),
            g(14),
            g(15),
            g(16),
            g(17),
            g(18),
            g(19),
            g(20),
            g(21),
            g(22),
            g(23),
            g(24),
            g(25),
            g(26),
            g(27),
            g(28),
            g(29),
            g(30),
            g(31),
            g(32),
            g(33),
            g(34),
            g(35),
            g(36),
            g(37),
            g(38),
            g(39),
            g(40),
            g(41),
            g(42),
            g(43),
            g(44),
            g(45),
            g(46),
            g(47),
            g(48),
            g(49),
            g(50),
            g(51),
            g(52),
            g(53),
            g(54),
            g(55),
            g(56),
            g(57),
            g(58),
            g(59),
            g(60),
            g(61),
            g(62),
            g(63),
        )
    });
    assert!(join.poll().is_pending());
    for round in 1..=10 {
        board.wake_only(17);
        assert!(join.poll().is_pending());
        assert_eq!(board.polls_of(17), 1 + round);
    }
    assert_eq!(board.total_polls(), 64 + 10);
    // A poll of the join with no child woken polls no child at all.
    assert!(join.poll().is_pending());
    assert_eq!(board.total_polls(), 64 + 10);
    // Repeated wake-ups before the next poll wake the task once and poll the child once.
    let before = join.wakes.get();
    for _ in 0..5 {
        board.wake_only(40);
    }
    assert_eq!(join.wakes.get(), before + 1);
    assert!(join.poll().is_pending());
    assert_eq!(board.polls_of(40), 2);
}

#[test]
fn a_child_waker_kept_after_the_join_finished_stays_usable_and_wakes_nobody() {
    let board = Board::new(16);
    let g = |i| board.gate(i);
    let mut join = Driver::new(async {
        patience::join!(
            g(0),
            g(1),
            g(2),
            g(3),
            g(4),
            g(5),
            g(6),
            g(7),
            g(8),
            g(9),
            g(10),
            g(11),
            g(12),
            g(13),
            g(14),
            g(15),
        )
    });
    assert!(join.poll().is_pending());
    let kept: Vec<Waker> = (0..16).map(|i| board.waker_of(i)).collect();
    for i in 0..16 {
        board.open(i);
    }
    assert!(join.poll().is_ready());
    let wakes = join.wakes.clone();
    let wakes_before = wakes.get();
    drop(join);
    for (i, waker) in kept.into_iter().enumerate() {
        let clone = waker.clone();
        clone.wake_by_ref();
        if i % 2 == 0 {
            waker.wake();
        } else {
            drop(waker);
        }
        clone.wake();
    }
    // The wakers were usable, but the join is gone: its task was not woken again.
    assert_eq!(wakes.get(), wakes_before);
}

#[test]
fn a_child_waker_kept_after_the_join_was_dropped_unfinished_wakes_nobody() {
    let board = Board::new(16);
    let g = |i| board.gate(i);
    let mut join = Driver::new(async {
        patience::join!(
            g(0),
            g(1),
            g(2),
            g(3),
            g(4),
            g(5),
            g(6),
            g(7),
            g(8),
            g(9),
            g(10),
            g(11),
            g(12),
            g(13),
            g(14),
            g(15),
        )
    });
    assert!(join.poll().is_pending());
    let wakes = join.wakes.clone();
    let kept = board.waker_of(3);
    kept.wake_by_ref();
    assert_eq!(wakes.get(), 1, "the live join's task is woken");
    assert!(join.poll().is_pending());
    drop(join);
    kept.wake_by_ref();
    board.wake_only(5);
    assert_eq!(wakes.get(), 1, "a dropped join's task is not woken");
    drop(kept);
}

#[test]
fn child_wake_ups_reach_the_waker_the_join_was_polled_with_last() {
    let board = Board::new(16);
    let g = |i| board.gate(i);
    let mut join = Driver::new(async {
        patience::join!(
            g(0),
            g(1),
            g(2),
            g(3),
            g(4),
            g(5),
            g(6),
            g(7),
            g(8),
            g(9),
            g(10),
            g(11),
            g(12),
            g(13),
            g(14),
            g(15),
        )
    });
    let first = Arc::new(WakeCount::default());
    let second = Arc::new(WakeCount::default());
    assert!(join.poll_with(&Waker::from(first.clone())).is_pending());
    board.wake_only(0);
    assert_eq!((first.get(), second.get()), (1, 0));
    // The task moved: polled with another waker.
    assert!(join.poll_with(&Waker::from(second.clone())).is_pending());
    board.wake_only(1);
    assert_eq!((first.get(), second.get()), (1, 1));
    assert!(join.poll_with(&Waker::from(second.clone())).is_pending());
    board.open(2);
    assert_eq!((first.get(), second.get()), (1, 2));
    // Only the woken children were polled after the first poll: 0, then 1, then 2.
    assert!(join.poll_with(&Waker::from(second.clone())).is_pending());
    assert_eq!(board.total_polls(), 16 + 3);
    assert_eq!(board.finish_order(), vec![2]);
}

#[test]
fn a_join_of_200_futures_compiles_and_returns_every_output_in_order() {
    let board = Board::new(200);
    let g = |i| board.gate(i);
    let mut join = Driver::new(async {
        patience::join!(
            g(0),
            g(1),
            g(2),
            g(3),
            g(4),
            g(5),
            g(6),
            g(7),
            g(8),
            g(9),
            g(10),
            g(11),
            g(12),
            g(13),
            g(14),
            g(15),
            g(16),
            g(17),
            g(18),
            g(19),
            g(20),
            g(21),
            g(22),
            g(23),
            g(24),
            g(25),
            g(26),
            g(27),
            g(28),
            g(29),
            g(30),
            g(31),
            g(32),
            g(33),
            g(34),
            g(35),
            g(36),
            g(37),
            g(38),
            g(39),
            g(40),
            g(41),
            g(42),
            g(43),
            g(44),
            g(45),
            g(46),
            g(47),
            g(48),
            g(49),
            g(50),
            g(51),
            g(52),
            g(53),
            g(54),
            g(55),
            g(56),
            g(57),
            g(58),
            g(59),
            g(60),
            g(61),
            g(62),
            g(63),
            g(64),
            g(65),
            g(66),
            g(67),
            g(68),
            g(69),
            g(70),
            g(71),
            g(72),
            g(73),
            g(74),
            g(75),
            g(76),
            g(77),
            g(78),
            g(79),
            g(80),
            g(81),
            g(82),
            g(83),
            g(84),
            g(85),
            g(86),
            g(87),
            g(88),
            g(89),
            g(90),
            g(91),
            g(92),
            g(93),
            g(94),
            g(95),
            g(96),
            g(97),
            g(98),
            g(99),
            g(100),
            g(101),
            g(102),
            g(103),
            g(104),
            g(105),
            g(106),
            g(107),
            g(108),
            g(109),
            g(110),
            g(111),
            g(112),
            g(113),
            g(114),
            g(115),
            g(116),
            g(117),
            g(118),
            g(119),
            g(120),
            g(121),
            g(122),
            g(123),
            g(124),
            g(125),
            g(126),
            g(127),
            g(128),
            g(129),
            g(130),
            g(131),
            g(132),
            g(133),
            g(134),
            g(135),
            g(136),
            g(137),
            g(138),
            g(139),
            g(140),
            g(141),
            g(142),
            g(143),
            g(144),
            g(145),
            g(146),
            g(147),
            g(148),
            g(149),
            g(150),
            g(151),
            g(152),
            g(153),
            g(154),
            g(155),
            g(156),
            g(157),
            g(158),
            g(159),
            g(160),
            g(161),
            g(162),
            g(163),
            g(164),
            g(165),
            g(166),
            g(167),
            g(168),
            g(169),
            g(170),
            g(171),
            g(172),
            g(173),
            g(174),
            g(175),
            g(176),
            g(177),
            g(178),
            g(179),
            g(180),
            g(181),
            g(182),
            g(183),
            g(184),
            g(185),
            g(186),
            g(187),
            g(188),
            g(189),
            g(190),
            g(191),
            g(192),
            g(193),
            g(194),
            g(195),
            g(196),
            g(197),
            g(198),
            g(199),
        )
    });
    let polls = polls_when_woken_one_at_a_time(
        &board,
        &mut join,
        (0..200).rev().step_by(2).chain((0..200).step_by(2)),
    );
    assert_eq!(polls, 400);
}

#[test]
fn a_try_join_of_200_futures_returns_every_value_in_order() {
    let out: Result<_, ()> = patience::block_on(async {
        let ok = |i: usize| async move { Ok(i * 2) };
        patience::try_join!(
            ok(0),
            ok(1),
            ok(2),
            ok(3),
            ok(4),
            ok(5),
            ok(6),
            ok(7),
            ok(8),
            ok(9),
            ok(10),
            ok(11),
            ok(12),
            ok(13),
            ok(14),
            ok(15),
            ok(16),
            ok(17),
            ok(18),
            ok(19),
            ok(20),
            ok(21),
            ok(22),
            ok(23),
            ok(24),
            ok(25),
            ok(26),
            ok(27),
            ok(28),
            ok(29),
            ok(30),
            ok(31),
            ok(32),
            ok(33),
            ok(34),
            ok(35),
            ok(36),
            ok(37),
            ok(38),
            ok(39),
            ok(40),
            ok(41),
            ok(42),
            ok(43),
            ok(44),
            ok(45),
            ok(46),
            ok(47),
            ok(48),
            ok(49),
            ok(50),
            ok(51),
            ok(52),
            ok(53),
            ok(54),
            ok(55),
            ok(56),
            ok(57),
            ok(58),
            ok(59),
            ok(60),
            ok(61),
            ok(62),
            ok(63),
            ok(64),
            ok(65),
            ok(66),
            ok(67),
            ok(68),
            ok(69),
            ok(70),
            ok(71),
            ok(72),
            ok(73),
            ok(74),
            ok(75),
            ok(76),
            ok(77),
            ok(78),
            ok(79),
            ok(80),
            ok(81),
            ok(82),
            ok(83),
            ok(84),
            ok(85),
            ok(86),
            ok(87),
            ok(88),
            ok(89),
            ok(90),
            ok(91),
            ok(92),
            ok(93),
            ok(94),
            ok(95),
            ok(96),
            ok(97),
            ok(98),
            ok(99),
            ok(100),
            ok(101),
            ok(102),
            ok(103),
            ok(104),
            ok(105),
            ok(106),
            ok(107),
            ok(108),
            ok(109),
            ok(110),
            ok(111),
            ok(112),
            ok(113),
            ok(114),
            ok(115),
            ok(116),
            ok(117),
            ok(118),
            ok(119),
            ok(120),
            ok(121),
            ok(122),
            ok(123),
            ok(124),
            ok(125),
            ok(126),
            ok(127),
            ok(128),
            ok(129),
            ok(130),
            ok(131),
            ok(132),
            ok(133),
            ok(134),
            ok(135),
            ok(136),
            ok(137),
            ok(138),
            ok(139),
            ok(140),
            ok(141),
            ok(142),
            ok(143),
            ok(144),
            ok(145),
            ok(146),
            ok(147),
            ok(148),
            ok(149),
            ok(150),
            ok(151),
            ok(152),
            ok(153),
            ok(154),
            ok(155),
            ok(156),
            ok(157),
            ok(158),
            ok(159),
            ok(160),
            ok(161),
            ok(162),
            ok(163),
            ok(164),
            ok(165),
            ok(166),
            ok(167),
            ok(168),
            ok(169),
            ok(170),
            ok(171),
            ok(172),
            ok(173),
            ok(174),
            ok(175),
            ok(176),
            ok(177),
            ok(178),
            ok(179),
            ok(180),
            ok(181),
            ok(182),
            ok(183),
            ok(184),
            ok(185),
            ok(186),
            ok(187),
            ok(188),
            ok(189),
            ok(190),
            ok(191),
            ok(192),
            ok(193),
            ok(194),
            ok(195),
            ok(196),
            ok(197),
            ok(198),
            ok(199),
        )
    });
    let out = out.unwrap();
    let values = [
        out.0, out.1, out.2, out.3, out.4, out.5, out.6, out.7, out.8, out.9, out.10, out.11,
        out.12, out.13, out.14, out.15, out.16, out.17, out.18, out.19, out.20, out.21, out.22,
        out.23, out.24, out.25, out.26, out.27, out.28, out.29, out.30, out.31, out.32, out.33,
        out.34, out.35, out.36, out.37, out.38, out.39, out.40, out.41, out.42, out.43, out.44,
        out.45, out.46, out.47, out.48, out.49, out.50, out.51, out.52, out.53, out.54, out.55,
        out.56, out.57, out.58, out.59, out.60, out.61, out.62, out.63, out.64, out.65, out.66,
        out.67, out.68, out.69, out.70, out.71, out.72, out.73, out.74, out.75, out.76, out.77,
        out.78, out.79, out.80, out.81, out.82, out.83, out.84, out.85, out.86, out.87, out.88,
        out.89, out.90, out.91, out.92, out.93, out.94, out.95, out.96, out.97, out.98, out.99,
        out.100, out.101, out.102, out.103, out.104, out.105, out.106, out.107, out.108, out.109,
        out.110, out.111, out.112, out.113, out.114, out.115, out.116, out.117, out.118, out.119,
        out.120, out.121, out.122, out.123, out.124, out.125, out.126, out.127, out.128, out.129,
        out.130, out.131, out.132, out.133, out.134, out.135, out.136, out.137, out.138, out.139,
        out.140, out.141, out.142, out.143, out.144, out.145, out.146, out.147, out.148, out.149,
        out.150, out.151, out.152, out.153, out.154, out.155, out.156, out.157, out.158, out.159,
        out.160, out.161, out.162, out.163, out.164, out.165, out.166, out.167, out.168, out.169,
        out.170, out.171, out.172, out.173, out.174, out.175, out.176, out.177, out.178, out.179,
        out.180, out.181, out.182, out.183, out.184, out.185, out.186, out.187, out.188, out.189,
        out.190, out.191, out.192, out.193, out.194, out.195, out.196, out.197, out.198, out.199,
    ];
    assert_eq!(values.to_vec(), (0..200).map(|i| i * 2).collect::<Vec<_>>());
}

/// A join of 16 (per-child wakers) whose children finish in a scrambled order still
/// returns each output in its argument's place; a `try_join!` of 16 returns the first
/// error as soon as the child giving it is woken, without polling the rest again.
#[test]
fn tracked_joins_return_outputs_in_place_and_stop_at_the_first_error() {
    let order = [9, 3, 15, 0, 12, 7, 1, 14, 4, 11, 2, 8, 13, 5, 10, 6];
    let board = Board::new(16);
    let g = |i| board.gate(i);
    let mut join = Driver::new(async {
        let out = patience::join!(
            g(0),
            g(1),
            g(2),
            g(3),
            g(4),
            g(5),
            g(6),
            g(7),
            g(8),
            g(9),
            g(10),
            g(11),
            g(12),
            g(13),
            g(14),
            g(15),
        );
        [
            out.0, out.1, out.2, out.3, out.4, out.5, out.6, out.7, out.8, out.9, out.10, out.11,
            out.12, out.13, out.14, out.15,
        ]
    });
    assert!(join.poll().is_pending());
    for (n, &i) in order.iter().enumerate() {
        board.open(i);
        match join.poll() {
            std::task::Poll::Ready(out) => {
                assert_eq!(n, 15, "finished before the last gate opened");
                assert_eq!(out, std::array::from_fn(|i| i));
            }
            std::task::Poll::Pending => assert!(n < 15),
        }
    }
    assert_eq!(board.total_polls(), 2 * 16);

    let board = Board::new(16);
    // Child `i` gives `Err(i)` if `i` is 11, else `Ok(i)`.
    let t = |i| {
        let gate = board.gate(i);
        async move {
            let i = gate.await;
            if i == 11 { Err(i) } else { Ok(i) }
        }
    };
    let mut try_join = Driver::new(async {
        patience::try_join!(
            t(0),
            t(1),
            t(2),
            t(3),
            t(4),
            t(5),
            t(6),
            t(7),
            t(8),
            t(9),
            t(10),
            t(11),
            t(12),
            t(13),
            t(14),
            t(15),
        )
        .map(|out| out.0)
    });
    assert!(try_join.poll().is_pending());
    for i in [4, 0, 15] {
        board.open(i);
        assert!(try_join.poll().is_pending());
    }
    let before = board.total_polls();
    board.open(11);
    assert_eq!(try_join.poll(), std::task::Poll::Ready(Err(11)));
    assert_eq!(
        board.total_polls(),
        before + 1,
        "only the woken child was polled"
    );
}
