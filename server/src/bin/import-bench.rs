//! Bulk import benchmark: 10 000 people from one CSV file, checked and imported in one
//! transaction, on the in-memory engine and on SurrealKV on disk (the default for running).
//! Prints the median, fastest and slowest of several fresh runs, and rows per second.
//!
//! Run: `./x bench` (or `cargo run --release -p server --bin import-bench -- 2000` for another
//! row count).

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::domain::auth::server::{hash_password, Access, AuthSettings};
use app::domain::auth::types::{Role, SessionUser};
use app::domain::import::server as import;
use app::domain::people::server as people;
use app::domain::people::types::NewUserInput;
use app::domain::skills::types::SkillInput;

const SKILLS: [&str; 6] =
    ["Giving feedback", "Delegation", "Coaching others", "Strategic thinking", "Building trust", "Decision making"];
const DEPARTMENTS: [&str; 6] = ["Engineering", "Sales", "Marketing", "Operations", "Finance", "People"];

/// `n` people; every 8th is a mentor who manages the next 7; skills from the catalog.
fn csv(n: usize) -> String {
    let mut out = String::from("email,name,department,title,level,manager_email,skills,role\n");
    for i in 0..n {
        let lead = i % 8 == 0;
        let manager = if lead { String::new() } else { format!("person{}@bench.example", i - i % 8) };
        let skills = format!("{};{}", SKILLS[i % SKILLS.len()], SKILLS[(i / 3) % SKILLS.len()]);
        out.push_str(&format!(
            "person{i}@bench.example,\"Person {i}, Bench\",{},{},{},{manager},{skills},{}\n",
            DEPARTMENTS[i % DEPARTMENTS.len()],
            if lead { "Team Lead" } else { "Specialist" },
            if lead { 6 } else { 1 + i % 5 },
            if lead { "mentor" } else { "mentee" },
        ));
    }
    out
}

async fn prepared(url: &str) -> Access {
    let db = app::db::connect(url).await.expect("database");
    let new = NewUserInput {
        email: "admin@bench.example".into(),
        name: "Bench Admin".into(),
        department: String::new(),
        title: String::new(),
        level: String::new(),
        roles: vec![Role::Admin],
    }
    .validate()
    .expect("admin input");
    let hash = hash_password("bench-password-1".into()).await.expect("hash");
    let id = people::insert(&db, &new, hash, false, None).await.expect("admin");
    let access = Access {
        db: db.clone(),
        settings: Arc::new(AuthSettings::default()),
        user: Some(SessionUser {
            id,
            email: new.email,
            name: new.name,
            roles: vec![Role::Admin],
            must_change_password: false,
        }),
        session_hash: None,
        ip: "127.0.0.1".into(),
        user_agent: "bench".into(),
        secure: false,
    };
    for s in SKILLS {
        let input = SkillInput { name: s.into(), ..SkillInput::default() }.validate().expect("skill");
        app::domain::skills::server::create(&access, input).await.expect("skill");
    }
    access
}

fn median(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(10_000);
    let runs = 5;
    let text = csv(n);
    println!("bulk import: {n} rows, {} KB of CSV, {runs} fresh databases per engine", text.len() / 1024);
    println!(
        "{:<12} {:>10} {:>22} {:>12} {:>22} {:>12}",
        "engine", "rows", "preview median (min–max)", "", "import median (min–max)", "rows/s"
    );
    let dir = std::env::temp_dir().join(format!("mentorship-import-bench-{}", std::process::id()));
    for engine in ["mem", "surrealkv"] {
        let mut previews = Vec::new();
        let mut imports = Vec::new();
        for run in 0..runs {
            let url = match engine {
                "mem" => "mem://".to_string(),
                _ => format!("surrealkv://{}", dir.join(format!("run{run}")).display()),
            };
            let access = prepared(&url).await;
            let t = Instant::now();
            let p = import::preview(&access.db, &text).await.expect("preview");
            previews.push(t.elapsed());
            assert!(p.errors.is_empty() && p.file_error.is_none(), "the bench file has problems: {:?}", p.errors);
            let t = Instant::now();
            let done = import::run(&access, &text).await.expect("import");
            imports.push(t.elapsed());
            assert_eq!(done.created, n);
        }
        let (pm, plo, phi) = median(previews);
        let (im, ilo, ihi) = median(imports);
        println!(
            "{:<12} {:>10} {:>22} {:>12} {:>22} {:>12.0}",
            engine,
            n,
            format!("{} ({}–{})", ms(pm), ms(plo), ms(phi)),
            "",
            format!("{} ({}–{})", ms(im), ms(ilo), ms(ihi)),
            n as f64 / im.as_secs_f64()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
