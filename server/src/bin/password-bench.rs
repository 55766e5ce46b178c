//! Benchmark of a password check (argon2 with the default parameters, as every account's hash is
//! made): `password_auth`'s own check, which allocates its 19 MiB each time, against the app's
//! (`app::domain::auth::password::verify`), which reuses pooled memory. Prints the median and
//! the spread of `--rounds` checks, one thread at a time and then on every core at once.
//!
//! Run: `./x bench password [--rounds 40]`.

use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// `rounds` checks on each of `threads` threads at once; every check's time.
fn run(threads: usize, rounds: usize, hash: &str, check: fn(&str) -> bool) -> (Vec<Duration>, Duration) {
    let start = Instant::now();
    let times = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(move || {
                    (0..rounds)
                        .map(|_| {
                            let t = Instant::now();
                            assert!(check(hash), "the password must match");
                            t.elapsed()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("bench thread")).collect()
    });
    (times, start.elapsed())
}

fn main() {
    let mut rounds = 40usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match (a.as_str(), args.next().and_then(|v| v.parse().ok())) {
            ("--rounds", Some(n)) if n > 0 => rounds = n,
            _ => {
                eprintln!("usage: password-bench [--rounds 40]");
                std::process::exit(2);
            }
        }
    }
    const PASSWORD: &str = "mentorship-demo";
    let hash = password_auth::generate_hash(PASSWORD);
    let own: fn(&str) -> bool = |h| password_auth::verify_password(PASSWORD, h).is_ok();
    let pooled: fn(&str) -> bool = |h| app::domain::auth::password::verify(PASSWORD.as_bytes(), h);
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    println!("argon2 default parameters, {rounds} checks per thread; medians (fastest - slowest)");
    for threads in [1, cores] {
        for (name, check) in [("password_auth (allocates)", own), ("pooled memory", pooled)] {
            // One round first, so the pool and the allocator are warm for both.
            run(threads, 1, &hash, check);
            let (times, wall) = run(threads, rounds, &hash, check);
            let (lo, hi) =
                (times.iter().min().copied().unwrap_or_default(), times.iter().max().copied().unwrap_or_default());
            println!(
                "{threads} thread(s), {name:<26} {:>9} ({} - {}), {:.1} checks/s",
                ms(median(times.clone())),
                ms(lo),
                ms(hi),
                times.len() as f64 / wall.as_secs_f64()
            );
        }
    }
}
