//! Every mode line, and `select_biased!`.
use std::future::ready;

fn main() {
    patience::block_on(async {
        let mut cursor = 0usize;
        let a = patience::select! { fair; n = ready(1) => n, n = ready(2) => n };
        let b = patience::select! { biased; n = ready(1) => n, n = ready(2) => n };
        let c = patience::select! { round_robin(&mut cursor); n = ready(1) => n, n = ready(2) => n };
        let d = patience::select_biased! { n = ready(1) => n, n = ready(2) => n };
        let e = patience::select_biased! { biased; n = ready(1) => n };
        let f = patience::select! { n = ready(1) => n };
        assert_eq!((b, c, d, e, f), (1, 1, 1, 1, 1));
        assert!(a == 1 || a == 2);
        assert_eq!(cursor, 1);
    });
}
