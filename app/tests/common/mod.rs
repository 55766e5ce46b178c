//! The harness the service test files share: an in-memory database, callers, people, and a
//! running cohort of a published program.
#![allow(dead_code)]

use std::sync::Arc;

use app::db::{self, Db};
use app::domain::auth::server::{Access, AuthSettings};
use app::domain::auth::types::{Role, SessionUser};
use app::domain::people::server as people;
use app::domain::people::types::NewUserInput;
use app::validate::date_of_day;

pub async fn fresh_db() -> Db {
    db::connect("mem://").await.expect("in-memory database")
}

pub fn access(db: &Db, user: Option<SessionUser>) -> Access {
    Access {
        db: db.clone(),
        settings: Arc::new(AuthSettings::default()),
        user,
        session_hash: None,
        ip: "10.0.9.1".to_string(),
        user_agent: "test".into(),
        secure: false,
    }
}

/// A stored password hash; nobody signs in here, so no time goes into hashing.
pub const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c3VydmV5cw$not-a-real-hash";

pub async fn person(db: &Db, email: &str, department: &str, roles: Vec<Role>) -> SessionUser {
    let new = NewUserInput {
        email: email.into(),
        name: "Test Person".into(),
        department: department.into(),
        title: "Engineer".into(),
        level: "4".into(),
        roles: roles.clone(),
    }
    .validate()
    .unwrap();
    let id = people::insert(db, &new, HASH.to_string(), false, None).await.unwrap();
    SessionUser { id, email: new.email, name: new.name, roles, must_change_password: false }
}

/// Today as days since 1970-01-01 (UTC), as the services count it.
pub fn today() -> i64 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    (secs / 86_400) as i64
}

/// An admin, a published program (one skill, two phases) and a cohort of it running from
/// 30 days ago to 45 days from now, without pairs yet.
pub struct World {
    pub db: Db,
    pub admin: Access,
    pub cohort: String,
}

pub async fn world() -> World {
    use app::domain::cohort::server as cohorts;
    use app::domain::cohort::types::CohortInput;
    use app::domain::program::server as programs;
    use app::domain::program::types::{Objective, Phase, ProgramDesign, Step};
    let db = fresh_db().await;
    let root = person(&db, "root@example.com", "", vec![Role::Admin]).await;
    let a = access(&db, Some(root));
    let mut d = ProgramDesign { name: "Leaders".into(), ..ProgramDesign::default() };
    d.objectives.push(Objective {
        statement: "Grow".into(),
        specific: "x".into(),
        measurable: "2 goals".into(),
        achievable: String::new(),
        relevant: "y".into(),
        time_bound: "2027-12-31".into(),
        metric: String::new(),
        target: String::new(),
    });
    let p = programs::save_step(&a, d, Step::Objectives).await.unwrap();
    let skill = app::domain::skills::server::create(
        &a,
        app::domain::skills::types::SkillInput { name: "Delegation".into(), ..Default::default() }.validate().unwrap(),
    )
    .await
    .unwrap();
    let mut s = p.clone();
    s.skill_ids = vec![skill.id];
    let p = programs::save_step(&a, s, Step::Skills).await.unwrap();
    let mut s = p.clone();
    s.phases = vec![
        Phase { name: "Foundations".into(), weeks: "4".into(), ..Phase::default() },
        Phase { name: "Practice".into(), weeks: "6".into(), ..Phase::default() },
    ];
    let p = programs::save_step(&a, s, Step::Structure).await.unwrap();
    let p = programs::publish(&a, &p.id, p.version).await.unwrap();
    let c = cohorts::create(
        &a,
        CohortInput {
            program_id: p.id.clone(),
            name: "Winter cohort".into(),
            starts: date_of_day(today() - 30),
            ends: date_of_day(today() + 45),
            approach: String::new(),
            matching_mode: "optimal".into(),
            meeting_cadence: "biweekly".into(),
            workshop_format: "remote".into(),
        },
    )
    .await
    .unwrap();
    World { db, admin: a, cohort: c.id }
}

/// Publishes `pairs` (mentee, mentor) the way the board's publish does: pairing rows, the
/// board's `published_at`, and the cohort running.
pub async fn publish_pairs(db: &Db, cohort: &str, pairs: &[(&SessionUser, &SessionUser)]) {
    let pairs: Vec<serde_json::Value> =
        pairs.iter().map(|(e, o)| serde_json::json!({ "mentee": e.id, "mentor": o.id })).collect();
    db.query(
        "BEGIN;
         LET $c = type::record('cohort', $cohort);
         FOR $p IN $pairs {
             CREATE pairing SET org = org:main, cohort = $c, mentee = type::record('user', $p.mentee),
                 mentor = type::record('user', $p.mentor), score = 80;
         };
         UPSERT type::record('board', $cohort) SET org = org:main, cohort = $c, published_at = time::now(), version = 1;
         UPDATE $c SET status = 'running', version += 1;
         COMMIT;",
    )
    .bind(("cohort", cohort.to_string()))
    .bind(("pairs", pairs))
    .await
    .unwrap()
    .check()
    .unwrap();
}
