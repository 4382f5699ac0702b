//! `select!`s and `join!`s of many children written by `macro_rules!`: the lists of
//! child indices for the sizes the tests use. 2 and 8 share the task's waker; 13 is the
//! smallest size with a waker per child; 32 fills one flag word of a waker block; 64
//! fills two.

/// `with_indices!(K, m!(args))` expands to `m!(args 0 1 … K-1)`, for K in 2, 8, 13, 16,
/// 32 and 64.
macro_rules! with_indices {
    (2, $m:ident!($($args:tt)*)) => {
        $m!($($args)* 0 1)
    };
    (8, $m:ident!($($args:tt)*)) => {
        $m!($($args)* 0 1 2 3 4 5 6 7)
    };
    (13, $m:ident!($($args:tt)*)) => {
        $m!($($args)* 0 1 2 3 4 5 6 7 8 9 10 11 12)
    };
    (16, $m:ident!($($args:tt)*)) => {
        $m!($($args)* 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
    };
    (32, $m:ident!($($args:tt)*)) => {
        $m!($($args)*
            0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31)
    };
    (64, $m:ident!($($args:tt)*)) => {
        $m!($($args)*
            0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31
            32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59
            60 61 62 63)
    };
}

pub(crate) use with_indices;
