//! Backups (issue 16): a backup taken while people write restores every record into a fresh
//! database, through SurrealDB's own export and import on the real engine.

use std::collections::BTreeSet;

use server::backup::{backup, restore, table_counts, BackupError};
use server::seed;

async fn emails(db: &app::db::Db) -> BTreeSet<String> {
    let mut res = db.query("SELECT VALUE email FROM user").await.unwrap();
    let v: Vec<String> = res.take(0).unwrap();
    v.into_iter().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_people_write_restores_every_record() {
    let db = app::db::connect("mem://").await.unwrap();
    seed::seed_demo(&db).await.unwrap();
    let before = table_counts(&db).await.unwrap();
    assert!(before.len() >= 25 && before["user"] > 40 && before["survey_response"] > 0, "{before:?}");

    // Someone keeps writing while the backup is taken.
    let writer = {
        let db = db.clone();
        tokio::spawn(async move {
            for i in 0..200 {
                db.query("CREATE audit SET org = org:main, action = 'test write', detail = $d")
                    .bind(("d", format!("write {i}")))
                    .await
                    .unwrap()
                    .check()
                    .unwrap();
            }
        })
    };
    let file = std::env::temp_dir().join(format!("mentorship-backup-test-{}.surql", std::process::id()));
    let counts = backup(&db, "mem://", &file).await.unwrap();
    writer.await.unwrap();
    assert!(file.is_file() && !std::path::Path::new(&format!("{}.partial", file.display())).exists());

    let fresh = app::db::open("mem://").await.unwrap();
    let restored = restore(&fresh, "mem://", &file).await.unwrap();
    app::db::migrate(&fresh).await.unwrap();
    assert_eq!(app::db::schema_version(&fresh).await.unwrap(), Some(app::db::latest_version()));
    // Every table and record came back; the audit log holds what was written up to the backup.
    assert_eq!(restored.keys().collect::<Vec<_>>(), counts.keys().collect::<Vec<_>>());
    for (table, n) in &counts {
        if table == "audit" {
            assert!(
                restored[table] >= *n && restored[table] <= n + 200,
                "audit: {} of {n}..{}",
                restored[table],
                n + 200
            );
        } else {
            assert_eq!(restored[table], *n, "{table}");
        }
    }
    assert_eq!(emails(&fresh).await, emails(&db).await);
    // The restored organization works: the demo mentee's session-free lookups see their pair.
    let mut res = fresh
        .query("SELECT VALUE mentor.email FROM pairing WHERE mentee.email = 'mentee@northwind.example' AND status = 'published'")
        .await
        .unwrap();
    let mentors: Vec<String> = res.take(0).unwrap();
    assert_eq!(mentors, ["mentor@northwind.example"]);

    // A restore never writes over a database in use, and a SurrealDB server is backed up with its own tools.
    assert!(matches!(restore(&db, "mem://", &file).await, Err(BackupError::NotEmpty(_))));
    assert!(matches!(backup(&db, "ws://127.0.0.1:8000", &file).await, Err(BackupError::Remote)));
    std::fs::remove_file(&file).unwrap();
}
