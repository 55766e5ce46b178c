//! The demo organization (`seed-demo`) and the first admin (`create-admin`).

use app::db::{checked, Db};
use app::domain::auth::server::{hash_password, Audit};
use app::domain::auth::types::{check_new_password, normalize_email, Role};
use app::domain::people::server::{insert, temporary_password};
use app::domain::people::types::NewUser;
use app::error::AppError;

/// Password of every demo account.
pub const DEMO_PASSWORD: &str = "mentorship-demo";
/// Domain of the demo accounts.
pub const DEMO_DOMAIN: &str = "northwind.example";

/// Why seeding failed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// A service call failed.
    #[error("{0}")]
    App(#[from] AppError),
    /// A query failed.
    #[error("database error: {0}")]
    Db(#[from] surrealdb::Error),
    /// Bad input to `create-admin`.
    #[error("{0}")]
    Input(String),
}

/// Number of user accounts.
pub async fn user_count(db: &Db) -> Result<i64, SeedError> {
    let mut res = db.query("RETURN count(SELECT VALUE id FROM user)").await?;
    let n: Option<i64> = res.take(0)?;
    Ok(n.unwrap_or(0))
}

/// Creates an admin with a temporary password (returned, to be shown once) unless
/// `ADMIN_PASSWORD` is set (then `None`: a password the operator chose is never printed back).
pub async fn create_admin(db: &Db, email: &str, name: &str) -> Result<Option<String>, SeedError> {
    let email = normalize_email(email).map_err(SeedError::Input)?;
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(SeedError::Input("--name must be 1 to 120 characters".into()));
    }
    let (password, must_change) = match std::env::var("ADMIN_PASSWORD") {
        Ok(p) => {
            check_new_password(&p).map_err(|m| SeedError::Input(format!("ADMIN_PASSWORD: {m}")))?;
            (p, false)
        }
        Err(_) => (temporary_password()?, true),
    };
    let user =
        NewUser { email, name, department: String::new(), title: String::new(), level: None, roles: vec![Role::Admin] };
    let audit = Audit { actor: None, action: "created the admin", detail: format!("{} <{}>", user.name, user.email) };
    insert(db, &user, hash_password(password.clone()).await?, must_change, Some(audit)).await?;
    Ok(must_change.then_some(password))
}

const SKILLS: &[(&str, &str, &str)] = &[
    ("Giving feedback", "Communication", "Specific, timely feedback that helps people grow."),
    ("Difficult conversations", "Communication", "Raising hard topics early, calmly and respectfully."),
    ("Active listening", "Communication", "Understanding before responding; asking good questions."),
    ("Delegation", "Managing work", "Handing over outcomes, not tasks, with the right support."),
    ("Prioritization", "Managing work", "Choosing what not to do; protecting focus."),
    ("Decision making", "Managing work", "Making timely, reasoned calls with incomplete information."),
    ("Coaching others", "Developing people", "Helping others find their own answers."),
    ("Building trust", "Developing people", "Reliability, candour and care that people can count on."),
    ("Hiring and interviewing", "Developing people", "Structured, fair hiring that raises the bar."),
    ("Strategic thinking", "Direction", "Connecting daily work to where the organization is going."),
    ("Change leadership", "Direction", "Leading people through uncertainty and change."),
    ("Influencing without authority", "Direction", "Moving work forward across teams you do not manage."),
    ("Conflict resolution", "Relationships", "Turning disagreement into better decisions."),
    ("Executive presence", "Relationships", "Clear, confident communication with senior audiences."),
    ("Navigating workplace politics", "Relationships", "Understanding stakeholders, interests and informal power."),
];

struct Person {
    first: &'static str,
    last: &'static str,
    email: Option<&'static str>,
    department: &'static str,
    title: &'static str,
    level: i64,
    roles: &'static [Role],
    offers: &'static [usize],
    wants: &'static [usize],
}

macro_rules! p {
    ($first:expr, $last:expr, $email:expr, $dept:expr, $title:expr, $level:expr, $roles:expr, $offers:expr, $wants:expr) => {
        Person {
            first: $first,
            last: $last,
            email: $email,
            department: $dept,
            title: $title,
            level: $level,
            roles: $roles,
            offers: $offers,
            wants: $wants,
        }
    };
}

use Role::{Admin, Leadership, Mentee, Mentor};

/// 40 people; the first five have memorable demo logins (see the README).
const PEOPLE: &[Person] = &[
    p!("Priya", "Raman", Some("admin"), "People", "Head of Learning & Development", 7, &[Admin], &[], &[]),
    p!("Marcus", "Oyelaran", Some("leader"), "Executive", "Chief Operating Officer", 9, &[Leadership], &[], &[]),
    p!("Elena", "Vasquez", Some("mentor"), "Engineering", "Engineering Director", 7, &[Mentor], &[3, 6, 9, 10], &[]),
    p!("Tom", "Becker", Some("mentee"), "Engineering", "Senior Software Engineer", 4, &[Mentee], &[], &[0, 3, 11]),
    p!("Aiko", "Tanaka", Some("mentor.mentee"), "Product", "Product Manager", 5, &[Mentor, Mentee], &[4, 2], &[9, 13]),
    p!("Grace", "Okafor", None, "Engineering", "VP Engineering", 8, &[Mentor, Leadership], &[9, 10, 8], &[]),
    p!("Daniel", "Kim", None, "Engineering", "Staff Engineer", 6, &[Mentor], &[11, 5, 6], &[]),
    p!("Sofia", "Rossi", None, "Engineering", "Engineering Manager", 6, &[Mentor], &[0, 1, 7], &[]),
    p!("Liam", "O'Connor", None, "Engineering", "Software Engineer", 3, &[Mentee], &[], &[4, 0]),
    p!("Noah", "Schmidt", None, "Engineering", "Software Engineer", 3, &[Mentee], &[], &[2, 11]),
    p!("Zoë", "Ñúñez", None, "Engineering", "QA Lead", 5, &[Mentee], &[], &[3, 12]),
    p!("Fatima", "Haddad", None, "Engineering", "Site Reliability Engineer", 4, &[Mentee], &[], &[5, 4]),
    p!("Oliver", "Brown", None, "Product", "Director of Product", 7, &[Mentor], &[9, 11, 14], &[]),
    p!("Mei", "Chen", None, "Product", "Associate Product Manager", 2, &[Mentee], &[], &[11, 2, 4]),
    p!("Lucas", "Silva", None, "Product", "Product Designer", 4, &[Mentee], &[], &[0, 13]),
    p!("Hannah", "Müller", None, "Design", "Head of Design", 7, &[Mentor], &[6, 0, 12], &[]),
    p!("Ravi", "Patel", None, "Design", "Senior Designer", 5, &[Mentee], &[], &[3, 11]),
    p!("Chloé", "Dubois", None, "Design", "UX Researcher", 3, &[Mentee], &[], &[2, 13]),
    p!("James", "Wilson", None, "Sales", "VP Sales", 8, &[Mentor, Leadership], &[13, 11, 14], &[]),
    p!("Amara", "Nwosu", None, "Sales", "Sales Manager", 6, &[Mentor], &[1, 12, 7], &[]),
    p!("Ethan", "Clarke", None, "Sales", "Account Executive", 4, &[Mentee], &[], &[13, 11]),
    p!("Isabella", "Costa", None, "Sales", "Account Executive", 3, &[Mentee], &[], &[1, 4]),
    p!("Kwame", "Mensah", None, "Sales", "Sales Development Lead", 4, &[Mentee], &[], &[6, 3]),
    p!("Sarah", "Johnson", None, "Marketing", "Marketing Director", 7, &[Mentor], &[9, 10, 13], &[]),
    p!("Diego", "Hernández", None, "Marketing", "Content Lead", 4, &[Mentee], &[], &[11, 5]),
    p!("Yuki", "Sato", None, "Marketing", "Growth Marketer", 3, &[Mentee], &[], &[4, 0]),
    p!("Anna", "Kowalska", None, "Operations", "Operations Director", 7, &[Mentor], &[5, 4, 10], &[]),
    p!("Mohammed", "Al-Farsi", None, "Operations", "Operations Manager", 5, &[Mentee], &[], &[3, 1, 10]),
    p!("Emily", "Davies", None, "Operations", "Program Coordinator", 3, &[Mentee], &[], &[4, 2]),
    p!("Carlos", "Mendes", None, "Operations", "Logistics Lead", 4, &[Mentee], &[], &[12, 7]),
    p!("Nadia", "Petrova", None, "Finance", "Finance Director", 7, &[Mentor], &[5, 9], &[]),
    p!("Benjamin", "Lee", None, "Finance", "Financial Analyst", 3, &[Mentee], &[], &[13, 9]),
    p!("Olga", "Ivanova", None, "Finance", "Controller", 5, &[Mentee], &[], &[3, 12]),
    p!("Samuel", "Adeyemi", None, "People", "HR Business Partner", 5, &[Mentor], &[7, 1, 2], &[]),
    p!("Laura", "Martín", None, "People", "Talent Partner", 4, &[Mentee], &[], &[8, 11]),
    p!("Jonas", "Berg", None, "People", "People Operations Specialist", 3, &[Mentee], &[], &[0, 5]),
    p!("Ines", "Ferreira", None, "Customer Success", "Head of Customer Success", 7, &[Mentor], &[12, 7, 2], &[]),
    p!("Kevin", "Murphy", None, "Customer Success", "Customer Success Manager", 4, &[Mentee], &[], &[1, 12]),
    p!("Leila", "Karimi", None, "Customer Success", "Support Team Lead", 5, &[Mentee], &[], &[3, 0, 10]),
    p!("Victor", "Almeida", None, "Executive", "Chief Executive Officer", 10, &[Leadership], &[], &[]),
];

fn ascii_slug(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'a'..='z' | 'A'..='Z' => Some(c.to_ascii_lowercase()),
            'é' | 'è' | 'É' => Some('e'),
            'ü' | 'ú' => Some('u'),
            'ñ' | 'Ñ' => Some('n'),
            'ë' => Some('e'),
            'á' => Some('a'),
            'í' => Some('i'),
            'ó' => Some('o'),
            _ => None,
        })
        .collect()
}

/// Email of a demo person.
fn demo_email(p: &Person) -> String {
    match p.email {
        Some(local) => format!("{local}@{DEMO_DOMAIN}"),
        None => format!("{}.{}@{DEMO_DOMAIN}", ascii_slug(p.first), ascii_slug(p.last)),
    }
}

/// Fills the demo organization into an empty database. Does nothing if it is already there, and
/// refuses a database with other people in it: demo accounts share a published password.
pub async fn seed_demo(db: &Db) -> Result<(), SeedError> {
    let mut res = db.query("RETURN count(SELECT VALUE id FROM audit WHERE action = 'seeded');").await?;
    let seeded: Option<i64> = res.take(0)?;
    if seeded.unwrap_or(0) > 0 {
        tracing::info!("demo organization already present; nothing to do");
        return Ok(());
    }
    let users = user_count(db).await?;
    if users > 0 {
        return Err(SeedError::Input(format!(
            "this database already has {users} people and no complete demo organization; demo data (whose accounts \
             share a published password) is only added to an empty database. Use another DATABASE_URL for the demo."
        )));
    }
    tracing::info!("seeding the demo organization (40 people, 15 skills, 1 program, 5 cohorts)");
    db.query("UPDATE org:main SET name = 'Northwind Robotics'").await?.check()?;

    let mut skill_ids = Vec::new();
    for (name, category, description) in SKILLS {
        let mut res = db
            .query("CREATE skill SET org = org:main, name = $name, category = $category, description = $description RETURN VALUE record::id(id)")
            .bind(("name", *name))
            .bind(("category", *category))
            .bind(("description", *description))
            .await?;
        let ids: Vec<String> = res.take(0)?;
        skill_ids.push(ids.into_iter().next().unwrap_or_default());
    }

    // Hash on the blocking pool, several at a time.
    let hashes = futures_hashes(PEOPLE.len()).await?;
    let mut user_ids = Vec::new();
    for (p, hash) in PEOPLE.iter().zip(hashes) {
        let user = NewUser {
            email: demo_email(p),
            name: format!("{} {}", p.first, p.last),
            department: p.department.to_string(),
            title: p.title.to_string(),
            level: Some(p.level),
            roles: p.roles.to_vec(),
        };
        let id = insert(db, &user, hash, false, None).await?;
        let offers: Vec<String> = p.offers.iter().map(|i| skill_ids[*i].clone()).collect();
        let wants: Vec<String> = p.wants.iter().map(|i| skill_ids[*i].clone()).collect();
        db.query(
            "UPDATE type::record('user', $id) SET
                    skills_offered = $offers.map(|$s| type::record('skill', $s)),
                    skills_wanted = $wants.map(|$s| type::record('skill', $s)),
                    hired_on = time::now() - $tenure",
        )
        .bind(("id", id.clone()))
        .bind(("offers", offers))
        .bind(("wants", wants))
        .bind(("tenure", std::time::Duration::from_secs(86_400 * (200 + 90 * p.level as u64))))
        .await
        .and_then(checked)?;
        user_ids.push(id);
    }

    // Reporting lines: each department's most senior person manages the rest; heads report to the COO.
    let coo = &user_ids[1];
    for dept in PEOPLE.iter().map(|p| p.department).collect::<std::collections::BTreeSet<_>>() {
        let members: Vec<usize> = (0..PEOPLE.len()).filter(|i| PEOPLE[*i].department == dept).collect();
        let head = *members.iter().max_by_key(|i| PEOPLE[**i].level).expect("department has members");
        for m in members {
            let manager = if m == head { coo } else { &user_ids[head] };
            if &user_ids[m] == manager {
                continue;
            }
            db.query("UPDATE type::record('user', $id) SET manager = type::record('user', $manager)")
                .bind(("id", user_ids[m].clone()))
                .bind(("manager", manager.clone()))
                .await?
                .check()?;
        }
    }

    let program_skills: Vec<String> = [0, 1, 3, 6, 9, 11, 12].iter().map(|i| skill_ids[*i].clone()).collect();
    let design = serde_json::to_value(demo_design(&program_skills)).map_err(|e| SeedError::Input(e.to_string()))?;
    db
        .query(
            "LET $program = (CREATE ONLY program SET org = org:main, name = $design.name,
                description = 'A six-month program that prepares senior individual contributors and new managers to lead people: feedback, delegation, coaching and influence.',
                purpose = $design.purpose, status = 'published', approach = 'coaching', duration_weeks = 24,
                skills = $skills.map(|$s| type::record('skill', $s)), design = $design, version = 1,
                updated_at = time::now());
             CREATE cohort SET org = org:main, program = $program.id, name = 'Spring 2027',
                starts = <datetime> '2027-03-01T00:00:00Z', ends = <datetime> '2027-08-31T00:00:00Z',
                status = 'enrolling', version = 0,
                strategy_tags = { approach: 'coaching', matching_mode: 'optimal', meeting_cadence: 'biweekly', workshop_format: 'in-person' };
             CREATE audit SET org = org:main, action = 'seeded', detail = 'the demo organization';",
        )
        .bind(("skills", program_skills))
        .bind(("design", design))
        .await
        .and_then(checked)?;
    seed_matching_cohort(db, &user_ids, &skill_ids).await?;
    seed_running_cohort(db).await?;
    crate::seed_history::seed(db).await?;
    crate::seed_surveys::seed(db).await?;
    crate::seed_surveys::seed_fit_checks(db).await?;
    crate::seed_assessments::seed(db).await?;
    if let Ok(size) = std::env::var("DEMO_LARGE_BOARD") {
        let (n, m) = size
            .split_once('x')
            .and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)))
            .filter(|&(n, m): &(usize, usize)| n <= 20_000 && m <= 5_000)
            .ok_or_else(|| SeedError::Input(format!("DEMO_LARGE_BOARD must look like 500x150, not {size:?}")))?;
        seed_large_board(db, n, m, &skill_ids).await?;
    }
    if let Ok(size) = std::env::var("DEMO_LOAD_PAIRS") {
        let n = size.trim().parse::<usize>().ok().filter(|n| (1..=20_000).contains(n)).ok_or_else(|| {
            SeedError::Input(format!("DEMO_LOAD_PAIRS must be a number from 1 to 20000, not {size:?}"))
        })?;
        seed_load_cohort(db, n).await?;
    }
    tracing::info!(
        people = PEOPLE.len(),
        skills = SKILLS.len(),
        "demo organization ready; password for every demo account: {DEMO_PASSWORD}"
    );
    Ok(())
}

/// A second cohort, "Winter 2026", in the matching stage: everyone after the five demo logins
/// who can mentor or be mentored has an approved application with matching preferences, so the
/// matching board has people on it from the start.
async fn seed_matching_cohort(db: &Db, user_ids: &[String], skill_ids: &[String]) -> Result<(), SeedError> {
    use app::domain::enrollment::types::{slot_key, MatchPrefs, Side, BLOCKS, DAYS, PREF_APPROACHES};
    let program_skills: Vec<usize> = vec![0, 1, 3, 6, 9, 11, 12];
    let mentor_ids: Vec<String> = PEOPLE
        .iter()
        .enumerate()
        .skip(5)
        .filter(|(_, p)| p.roles.contains(&Mentor))
        .map(|(k, _)| user_ids[k].clone())
        .collect();
    let mut apps = Vec::new();
    for (k, p) in PEOPLE.iter().enumerate().skip(5) {
        let side = if p.roles.contains(&Mentor) {
            Side::Mentor
        } else if p.roles.contains(&Mentee) {
            Side::Mentee
        } else {
            continue;
        };
        let profile = if side == Side::Mentor { p.offers } else { p.wants };
        let mut skills: Vec<String> =
            profile.iter().filter(|i| program_skills.contains(i)).map(|i| skill_ids[*i].clone()).collect();
        if skills.is_empty() {
            skills.push(skill_ids[program_skills[k % program_skills.len()]].clone());
        }
        // Two to four meeting slots, spread by index; a few people work remotely from UTC-5 or UTC+1.
        let slots: Vec<String> = (0..2 + k % 3)
            .map(|n| {
                let (d, _) = DAYS[(k + 2 * n) % DAYS.len()];
                let (b, ..) = BLOCKS[(k / 2 + n) % 2];
                slot_key(d, b)
            })
            .collect();
        let approaches: Vec<String> = if side == Side::Mentor {
            PREF_APPROACHES.iter().take(1 + k % 2).map(|a| a.to_string()).collect()
        } else if k % 3 == 0 {
            Vec::new()
        } else {
            vec![PREF_APPROACHES[k % 2].to_string()]
        };
        // Every third mentee names two mentors they would like.
        let wishes = if side == Side::Mentee && k % 3 == 0 {
            vec![mentor_ids[k % mentor_ids.len()].clone(), mentor_ids[(k + 5) % mentor_ids.len()].clone()]
        } else {
            Vec::new()
        };
        let prefs =
            MatchPrefs { skills, slots, remote_ok: k % 4 != 1, approaches, utc_offset: [0, 0, 1, -5][k % 4], wishes };
        apps.push(serde_json::json!({
            "user": user_ids[k],
            "side": side,
            "prefs": prefs,
            "capacity": if side == Side::Mentor { Some(2) } else { None },
        }));
    }
    db.query(
        "LET $program = (SELECT VALUE id FROM program LIMIT 1)[0];
         LET $admin = (SELECT VALUE id FROM user WHERE email = 'admin@northwind.example')[0];
         LET $cohort = (CREATE ONLY cohort SET org = org:main, program = $program, name = 'Winter 2026',
            starts = <datetime> '2026-12-01T00:00:00Z', ends = <datetime> '2027-05-31T00:00:00Z',
            status = 'matching', version = 0,
            strategy_tags = { approach: 'coaching', matching_mode: 'optimal', meeting_cadence: 'biweekly', workshop_format: 'remote' });
         FOR $a IN $apps {
            CREATE application SET org = org:main, cohort = $cohort.id, user = type::record('user', $a.user),
                side = $a.side, answers = {
                    'What do you hope to get from this program?': 'Grow as a leader with an experienced guide.',
                    'Can you commit two hours a month? (yes/no)': 'yes'
                },
                eligible = true, capacity = $a.capacity ?? NONE, prefs = $a.prefs, status = 'approved',
                decided_by = $admin, decided_at = time::now(), version = 1;
         };",
    )
    .bind(("apps", serde_json::Value::Array(apps)))
    .await
    .and_then(checked)?;
    Ok(())
}

/// "Autumn 2026", a running cohort with history, so the participant pages, the timeline and the
/// quiet-pair flags have something to show from the first start: Tom (the demo mentee) and Elena
/// (the demo mentor) meet every few weeks, completed a goal (earning the "First goal reached"
/// badge), work on a second and did the October workshop; Noah and Oliver stopped meeting over a
/// month ago; Yuki and Anna never started. Activity is dated relative to today.
async fn seed_running_cohort(db: &Db) -> Result<(), SeedError> {
    let feedback = serde_json::json!({
        "skill_id": "", "specific": "Give specific, timely feedback in every one-to-one with my four reports",
        "measurable": "Feedback given in 12 of 12 one-to-ones, logged in my notes", "achievable": "One-to-ones are already weekly; I prepare five minutes before each",
        "relevant": "The program's first objective: practice feedback, not theory", "deadline": "2026-12-18",
        "milestones": [{ "title": "Feedback model chosen", "due": "2026-09-25" }, { "title": "Six one-to-ones with feedback", "due": "2026-10-30" }]
    });
    let delegation = serde_json::json!({
        "skill_id": "", "specific": "Delegate the release checklist to a team lead and stop attending release calls",
        "measurable": "Three releases shipped without me on the call", "achievable": "Ana has run one release before; risk: holiday freeze",
        "relevant": "Frees four hours a week for hiring, which my director asked for", "deadline": "2027-02-12",
        "milestones": [{ "title": "Handover written", "due": "2026-11-20" }, { "title": "First release without me", "due": "2027-01-15" }]
    });
    let now = app::validate::unix_now();
    // Days ago (negative: to come) as an ISO time at 10:00 UTC.
    let ago = |days: i64| format!("{}T10:00:00Z", app::domain::activity::types::date_of(now - days * 86_400));
    let meetings = serde_json::json!([
        ["pilot_tom", ago(75), 60, "Kick-off: what would make this useful, goals and rhythm"],
        ["pilot_tom", ago(47), 45, "Feedback model; rehearsed a hard conversation"],
        ["pilot_tom", ago(19), 45, "What to delegate first; the release checklist"],
        ["pilot_tom", ago(5), 30, "Handover draft review"],
        ["pilot_tom", ago(-9), 45, "First release without me: how did it go?"],
        ["pilot_noah", ago(72), 45, "Kick-off and goals"],
        ["pilot_noah", ago(40), 30, "Prioritization under pressure"],
    ]);
    let checkins = serde_json::json!([
        ["pilot_feedback", ago(50), 40, "Four of six one-to-ones had feedback; two ran out of time."],
        ["pilot_feedback", ago(30), 100, "Twelve of twelve. My reports now ask for it."],
        ["pilot_delegation", ago(12), 30, "Handover started; Ana shadowed one release."],
        ["pilot_delegation", ago(3), 60, "Ana ran the release call; I only read the summary."],
    ]);
    db.query(
        "LET $program = (SELECT VALUE id FROM program LIMIT 1)[0];
         LET $who = |$email: string| (SELECT VALUE id FROM user WHERE email = $email)[0];
         LET $skill = |$name: string| (SELECT VALUE id FROM skill WHERE name = $name)[0];
         LET $cohort = (CREATE ONLY cohort:autumn2026 SET org = org:main, program = $program, name = 'Autumn 2026',
            starts = <datetime> '2026-09-01T00:00:00Z', ends = <datetime> '2027-02-26T00:00:00Z',
            status = 'running', version = 0, inactive_days = 21,
            strategy_tags = { approach: 'coaching', matching_mode: 'optimal', meeting_cadence: 'biweekly', workshop_format: 'in-person' }).id;
         LET $tom = $who('mentee@northwind.example');
         LET $elena = $who('mentor@northwind.example');
         CREATE pairing:pilot_tom SET org = org:main, cohort = $cohort, mentee = $tom, mentor = $elena, score = 82, created_at = time::now() - 80d;
         CREATE pairing:pilot_noah SET org = org:main, cohort = $cohort, mentee = $who('noah.schmidt@northwind.example'),
            mentor = $who('oliver.brown@northwind.example'), score = 74, created_at = time::now() - 80d;
         CREATE pairing:pilot_yuki SET org = org:main, cohort = $cohort, mentee = $who('yuki.sato@northwind.example'),
            mentor = $who('anna.kowalska@northwind.example'), score = 69, created_at = time::now() - 80d;
         FOR $m IN $meetings {
            CREATE meeting SET org = org:main, pairing = type::record('pairing', $m[0]), on = <datetime> $m[1],
                minutes = $m[2], topics = $m[3], notes = '', created_by = type::record('pairing', $m[0]).mentee;
         };
         CREATE goal:pilot_feedback SET org = org:main, pairing = pairing:pilot_tom, cohort = $cohort, mentee = $tom, mentor = $elena,
            skill = $skill('Giving feedback'), draft = $feedback, step = 7, status = 'completed', progress = 100, version = 4,
            milestones = [
                { title: 'Feedback model chosen', due: '2026-09-25', done: true, done_on: time::format(time::now() - 60d, '%Y-%m-%d') },
                { title: 'Six one-to-ones with feedback', due: '2026-10-30', done: true, done_on: time::format(time::now() - 35d, '%Y-%m-%d') }
            ],
            created_at = time::now() - 74d, submitted_at = time::now() - 72d, approved_at = time::now() - 70d, completed_at = time::now() - 30d;
         CREATE goal:pilot_delegation SET org = org:main, pairing = pairing:pilot_tom, cohort = $cohort, mentee = $tom, mentor = $elena,
            skill = $skill('Delegation'), draft = $delegation, step = 7, status = 'approved', progress = 60, version = 3,
            milestones = [
                { title: 'Handover written', due: '2026-11-20', done: true, done_on: time::format(time::now() - 6d, '%Y-%m-%d') },
                { title: 'First release without me', due: '2027-01-15', done: false, done_on: '' }
            ],
            created_at = time::now() - 20d, submitted_at = time::now() - 18d, approved_at = time::now() - 17d;
         FOR $c IN $checkins {
            CREATE checkin SET org = org:main, goal = type::record('goal', $c[0]), author = $tom, progress = $c[2], note = $c[3],
                evidence = '', created_at = <datetime> $c[1];
         };
         UPDATE goal:pilot_feedback, goal:pilot_delegation SET draft.skill_id = record::id(skill);
         CREATE goal:pilot_noah SET org = org:main, pairing = pairing:pilot_noah, cohort = $cohort, mentee = pairing:pilot_noah.mentee,
            mentor = pairing:pilot_noah.mentor, skill = $skill('Influencing without authority'),
            draft = { skill_id: '', specific: 'Get two other teams to adopt our API guidelines', measurable: 'Two teams sign off the guidelines',
                achievable: 'I already know their leads', relevant: 'Platform consistency is a team goal', deadline: '2027-02-01', milestones: [] },
            step = 7, status = 'approved', progress = 20, version = 3, milestones = [],
            created_at = time::now() - 70d, submitted_at = time::now() - 69d, approved_at = time::now() - 66d;
         CREATE checkin SET org = org:main, goal = goal:pilot_noah, author = pairing:pilot_noah.mentee, progress = 20,
            note = 'Met one of the two leads.', evidence = '', created_at = time::now() - 38d;
         CREATE workshop_seat:pilot_tom_w0 SET org = org:main, pairing = pairing:pilot_tom, workshop = 'w0', rsvp = 'going',
            rsvp_at = time::now() - 55d, attended = true, attended_at = time::now() - 41d,
            reflection = 'I used the situation-behaviour-impact model with two of my reports the week after; one asked for the same in return.',
            reflected_at = time::now() - 39d, signed_off_by = $elena, signed_off_at = time::now() - 38d;
         CREATE award:pilot_tom_r1 SET org = org:main, pairing = pairing:pilot_tom, mentee = $tom, reward = 'r1',
            name = 'First goal reached', kind = 'badge', awarded_at = time::now() - 30d;",
    )
    .bind(("feedback", feedback))
    .bind(("delegation", delegation))
    .bind(("meetings", meetings))
    .bind(("checkins", checkins))
    .await
    .and_then(checked)?;
    Ok(())
}

/// A synthetic cohort "Large board" of `n` mentees and `m` mentors (capacity 3-4), all approved,
/// for measuring the matching board at size (`DEMO_LARGE_BOARD=500x150`). The people live at
/// `large.example` so the demo organization itself stays 40 people; they share the demo password.
async fn seed_large_board(db: &Db, n: usize, m: usize, skill_ids: &[String]) -> Result<(), SeedError> {
    use app::domain::enrollment::types::{slot_key, MatchPrefs, Side, BLOCKS, DAYS, PREF_APPROACHES};
    tracing::info!(mentees = n, mentors = m, "seeding the large board");
    let hash = futures_hashes(1).await?.remove(0);
    let program_skills: Vec<usize> = vec![0, 1, 3, 6, 9, 11, 12];
    let departments = ["Engineering", "Product", "Design", "Sales", "Marketing", "Operations", "Finance", "People"];
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |k: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % k
    };
    let mut people = Vec::with_capacity(n + m);
    for k in 0..n + m {
        let mentor = k >= n;
        let skills: Vec<String> =
            (0..1 + next(3)).map(|_| skill_ids[program_skills[next(7) as usize]].clone()).collect();
        let slots: Vec<String> =
            (0..2 + next(3)).map(|_| slot_key(DAYS[next(5) as usize].0, BLOCKS[next(3) as usize].0)).collect();
        let approaches: Vec<String> =
            if mentor || next(3) > 0 { vec![PREF_APPROACHES[next(3) as usize].to_string()] } else { Vec::new() };
        let prefs = MatchPrefs {
            skills,
            slots,
            remote_ok: next(4) > 0,
            approaches,
            utc_offset: [0, 0, 1, -5][next(4) as usize],
            wishes: Vec::new(),
        };
        people.push(serde_json::json!({
            "email": format!("{}{k}@large.example", if mentor { "mentor" } else { "mentee" }),
            "name": format!("{} {k:04}", if mentor { "Mentor" } else { "Mentee" }),
            "department": departments[next(8) as usize],
            "level": if mentor { 6 + next(4) as i64 } else { 2 + next(4) as i64 },
            "side": if mentor { Side::Mentor } else { Side::Mentee },
            "capacity": if mentor { Some(3 + next(2) as i64) } else { None },
            "prefs": prefs,
        }));
    }
    db.query(
        "LET $program = (SELECT VALUE id FROM program LIMIT 1)[0];
         LET $cohort = (CREATE ONLY cohort SET org = org:main, program = $program, name = 'Large board',
            starts = <datetime> '2027-01-04T00:00:00Z', ends = <datetime> '2027-06-30T00:00:00Z',
            status = 'matching', version = 0,
            strategy_tags = { approach: 'coaching', matching_mode: 'optimal', meeting_cadence: 'monthly', workshop_format: 'remote' });
         FOR $p IN $people {
            LET $u = (CREATE ONLY user SET org = org:main, email = $p.email, name = $p.name, password_hash = $hash,
                roles = [$p.side], department = $p.department, level = $p.level);
            CREATE application SET org = org:main, cohort = $cohort.id, user = $u.id, side = $p.side, answers = {},
                eligible = true, capacity = $p.capacity ?? NONE, prefs = $p.prefs, status = 'approved', version = 1;
         };",
    )
    .bind(("people", serde_json::Value::Array(people)))
    .bind(("hash", hash))
    .await
    .and_then(checked)?;
    Ok(())
}

/// A running cohort "Load test" of `n` published pairs for the load benchmark
/// (`DEMO_LOAD_PAIRS=640`): `mentee{k}@load.example` with `mentor{k}@load.example`, each pair
/// with one approved goal, and three open anonymous pulse surveys to the whole cohort. They share
/// the demo password, so the benchmark's virtual users sign in as them in turn.
async fn seed_load_cohort(db: &Db, n: usize) -> Result<(), SeedError> {
    tracing::info!(pairs = n, "seeding the load-test cohort");
    let hash = futures_hashes(1).await?.remove(0);
    let design = serde_json::to_value(crate::seed_surveys::design()).map_err(|e| SeedError::Input(e.to_string()))?;
    db.query(
        "LET $program = (SELECT VALUE id FROM program LIMIT 1)[0];
         LET $skills = (SELECT VALUE id FROM skill ORDER BY name LIMIT 7);
         LET $admin = (SELECT VALUE id FROM user WHERE email = 'admin@northwind.example')[0];
         LET $departments = ['Engineering', 'Product', 'Design', 'Sales', 'Marketing', 'Operations'];
         CREATE cohort:load SET org = org:main, program = $program, name = 'Load test',
            starts = time::floor(time::now(), 1d) - 60d, ends = time::floor(time::now(), 1d) + 120d,
            status = 'running', version = 0, inactive_days = 21,
            strategy_tags = { approach: 'coaching', matching_mode: 'optimal', meeting_cadence: 'biweekly', workshop_format: 'remote' };
         FOR $k IN $ks {
            LET $dept = $departments[$k % 6];
            LET $mentee = (CREATE ONLY user SET org = org:main, email = string::concat('mentee', <string> $k, '@load.example'),
                name = string::concat('Load Mentee ', <string> $k), password_hash = $hash, roles = ['mentee'],
                department = $dept, level = 2 + $k % 4).id;
            LET $mentor = (CREATE ONLY user SET org = org:main, email = string::concat('mentor', <string> $k, '@load.example'),
                name = string::concat('Load Mentor ', <string> $k), password_hash = $hash, roles = ['mentor'],
                department = $departments[($k + 3) % 6], level = 6 + $k % 4).id;
            LET $pair = type::record('pairing', string::concat('load_', <string> $k));
            CREATE $pair SET org = org:main, cohort = cohort:load, mentee = $mentee, mentor = $mentor, score = 70 + $k % 20,
                created_at = time::now() - 58d;
            LET $skill = $skills[$k % array::len($skills)];
            CREATE type::record('goal', string::concat('load_', <string> $k)) SET org = org:main, pairing = $pair,
                cohort = cohort:load, mentee = $mentee, mentor = $mentor, skill = $skill,
                draft = { skill_id: record::id($skill), specific: 'Run every weekly one-to-one with a prepared agenda',
                    measurable: 'Agenda sent before 10 of 10 one-to-ones', achievable: 'Fifteen minutes on Monday mornings',
                    relevant: 'My reports asked for clearer one-to-ones', deadline: '2027-03-31',
                    milestones: [{ title: 'Agenda template agreed', due: '2027-01-15' }] },
                step = 7, status = 'approved', progress = 10, version = 3,
                milestones = [{ title: 'Agenda template agreed', due: '2027-01-15', done: false, done_on: '' }],
                created_at = time::now() - 50d, submitted_at = time::now() - 49d, approved_at = time::now() - 48d;
         };
         FOR $j IN [1, 2, 3] {
            LET $opened = time::floor(time::now(), 1d) - 1d;
            CREATE type::record('survey', string::concat('load_', <string> $j)) SET org = org:main, cohort = cohort:load,
                title = $design.title, design = $design, audience = 'both', anonymous = true, min_group = 3,
                status = 'open', opens_at = $opened, opened_at = $opened, closes_at = $opened + 8d, remind_at = $opened + 6d,
                series = string::concat('load_', <string> $j), round = 1, invited = 2 * $n, version = 1, created_by = $admin;
         };",
    )
    .bind(("n", n as i64))
    .bind(("ks", (0..n as i64).collect::<Vec<_>>()))
    .bind(("hash", hash))
    .bind(("design", design))
    .await
    .and_then(checked)?;
    Ok(())
}

/// The demo program's full design: objectives, rules on both sides, questions, phases,
/// a workshop and a certificate.
pub fn demo_design(skills: &[String]) -> app::domain::program::types::ProgramDesign {
    use app::domain::program::types::{ApproachKind, Objective, Phase, ProgramDesign, ProgramStatus, Reward, Workshop};
    use app::engine::eligibility::{Combine, RuleNode};
    let cond = RuleNode::condition;
    let commit = DEMO_QUESTIONS[1];
    ProgramDesign {
        name: "Emerging Leaders".into(),
        purpose: "Prepare senior individual contributors and new managers to lead people: feedback, delegation, coaching and influence.".into(),
        objectives: vec![
            Objective {
                statement: "Mentees complete two leadership goals".into(),
                specific: "Each mentee sets and completes two SMART goals on a program skill".into(),
                measurable: "75% of mentees complete at least 2 goals".into(),
                achievable: "Biweekly sessions and a mid-point workshop".into(),
                relevant: "Our new managers asked for practice, not theory".into(),
                time_bound: "2027-08-31".into(),
                metric: "mentees_completing_two_goals".into(),
                target: "75".into(),
            },
            Objective {
                statement: "Mentees rate the program highly".into(),
                specific: "Mentees find their sessions useful".into(),
                measurable: "Mean satisfaction of at least 4 out of 5".into(),
                achievable: String::new(),
                relevant: "A useful program keeps mentors and mentees engaged".into(),
                time_bound: "2027-08-31".into(),
                metric: "survey_satisfaction".into(),
                target: "4".into(),
            },
        ],
        skill_ids: skills.to_vec(),
        approach: "coaching".into(),
        guide: ApproachKind::Coaching.default_guide().into(),
        mentee_rules: RuleNode::Group {
            combine: Combine::All,
            rules: vec![
                cond("level", "<=", "5"),
                RuleNode::Group {
                    combine: Combine::Any,
                    rules: vec![cond("tenure_months", ">=", "12"), cond("manager_nomination", "is_true", "")],
                },
                cond(&format!("answer:{commit}"), "=", "yes"),
            ],
        },
        mentor_rules: RuleNode::Group {
            combine: Combine::All,
            rules: vec![cond("level", ">=", "6"), cond(&format!("answer:{commit}"), "=", "yes")],
        },
        questions: DEMO_QUESTIONS.iter().map(|q| q.to_string()).collect(),
        capacity: "2".into(),
        phases: vec![
            Phase {
                name: "Foundations".into(),
                weeks: "6".into(),
                milestones: "First meeting held\nTwo SMART goals agreed".into(),
                agenda: "What would make this hour useful?\nGoals and their measures".into(),
            },
            Phase { name: "Practice".into(), weeks: "12".into(), milestones: "Mid-point check-in".into(), agenda: "Review last step\nRole-play a hard conversation".into() },
            Phase { name: "Reflection".into(), weeks: "6".into(), milestones: "Final survey".into(), agenda: "What changed?\nWhat next?".into() },
        ],
        // Workshops inside each demo cohort, and one inside the cohorts the journeys open
        // (autumn 2027 to spring 2028).
        workshops: [
            ("w0", "Feedback lab", 0, "2026-10-14", "in-person"),
            ("w1", "Delegation in practice", 2, "2027-02-10", "remote"),
            ("w2", "Giving feedback that lands", 0, "2027-05-12", "in-person"),
            ("w3", "Coaching conversations", 3, "2027-11-17", "hybrid"),
        ]
        .into_iter()
        .filter_map(|(id, title, k, date, format)| {
            Some(Workshop { id: id.into(), title: title.into(), skill_id: skills.get(k)?.clone(), date: date.into(), format: format.into() })
        })
        .collect(),
        rewards: vec![
            Reward { id: "r1".into(), name: "First goal reached".into(), kind: "badge".into(), min_goals: "1".into(), workshop_required: false },
            Reward { id: "r2".into(), name: "Emerging Leader certificate".into(), kind: "certificate".into(), min_goals: "2".into(), workshop_required: true },
        ],
        status: ProgramStatus::Published,
        version: 1,
        ..ProgramDesign::default()
    }
}

/// The demo program's application questions.
pub const DEMO_QUESTIONS: [&str; 2] =
    ["What do you hope to get from this program?", "Can you commit two hours a month? (yes/no)"];

pub(crate) async fn futures_hashes(n: usize) -> Result<Vec<String>, SeedError> {
    let tasks: Vec<_> = (0..n).map(|_| tokio::spawn(hash_password(DEMO_PASSWORD.to_string()))).collect();
    let mut out = Vec::with_capacity(n);
    for t in tasks {
        out.push(t.await.map_err(|e| SeedError::Input(e.to_string()))??);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_design_is_publishable() {
        let skills: Vec<String> = (0..7).map(|i| format!("s{i}")).collect();
        let problems = app::domain::program::types::check_publishable(&demo_design(&skills));
        assert!(problems.is_empty(), "{problems}");
    }

    #[test]
    fn demo_people_are_valid_and_unique() {
        assert_eq!(PEOPLE.len(), 40);
        let mut emails: Vec<String> = PEOPLE.iter().map(demo_email).collect();
        for e in &emails {
            assert_eq!(normalize_email(e).as_deref(), Ok(e.as_str()), "{e}");
        }
        emails.sort();
        emails.dedup();
        assert_eq!(emails.len(), 40);
        assert!(SKILLS.len() >= 12);
        for p in PEOPLE {
            assert!(p.offers.iter().chain(p.wants).all(|i| *i < SKILLS.len()));
        }
    }
}
