//! Start-up safety of the embedded store: never a silent new, empty database over a missing or
//! unreadable one.

use std::path::PathBuf;

use server::startup::{open_database, StartupError};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mentorship-startup-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[tokio::test]
async fn a_missing_directory_is_an_error_unless_creation_is_asked_for() {
    let dir = temp_dir("missing").join("db");
    let url = format!("surrealkv://{}", dir.display());
    let err = open_database(&url, false).await.expect_err("must refuse");
    assert!(matches!(err, StartupError::Missing(_)), "{err}");
    assert!(err.to_string().contains("--create-if-missing"));
    assert!(!dir.exists(), "nothing may be created without the flag");

    let db = open_database(&url, true).await.expect("created on request");
    assert_eq!(app::db::schema_version(&db).await.unwrap(), Some(app::db::latest_version()));
    assert!(dir.join("manifest").is_dir());
}

#[tokio::test]
async fn an_empty_directory_counts_as_missing() {
    // What an unmounted volume looks like: no silent new database in it.
    let dir = temp_dir("empty");
    std::fs::create_dir_all(&dir).unwrap();
    let err = open_database(&format!("surrealkv://{}", dir.display()), false).await.expect_err("must refuse");
    assert!(matches!(err, StartupError::Missing(_)), "{err}");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "left untouched");
}

#[tokio::test]
async fn a_directory_with_foreign_files_is_refused_and_left_untouched() {
    let dir = temp_dir("foreign");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a database").unwrap();
    let url = format!("surrealkv://{}", dir.display());
    let err = open_database(&url, true).await.expect_err("must refuse");
    assert!(matches!(err, StartupError::Unreadable { .. }), "{err}");
    assert!(err.to_string().contains("Refusing"));
    let entries: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(entries, vec![std::ffi::OsString::from("notes.txt")], "the directory must be left as it was");
}

#[tokio::test]
async fn a_path_that_is_a_file_is_a_clear_error() {
    let dir = temp_dir("file");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("db");
    std::fs::write(&file, "x").unwrap();
    let err = open_database(&format!("surrealkv://{}", file.display()), true).await.expect_err("must refuse");
    assert!(matches!(err, StartupError::Unusable { .. }), "{err}");
}

fn cli(url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_mentorship"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run the server binary")
}

#[test]
fn the_cli_creates_reopens_and_refuses_a_corrupted_store() {
    let dir = temp_dir("cli").join("db");
    let url = format!("surrealkv://{}", dir.display());

    let out = cli(&url, &["migrate"]);
    assert!(!out.status.success(), "no database yet and no --create-if-missing");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no mentorship database"));

    assert!(cli(&url, &["migrate", "--create-if-missing"]).status.success());
    let seeded = cli(&url, &["seed-demo"]);
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    // Reopening an existing store needs no flag and keeps its data (seeding again is a no-op).
    let again = cli(&url, &["seed-demo"]);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));

    // Corrupt every manifest file: the next start must fail loudly, not start empty.
    for entry in std::fs::read_dir(dir.join("manifest")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::write(&path, b"\xff\xfe this is not a manifest").unwrap();
        }
    }
    let out = cli(&url, &["migrate"]);
    assert!(!out.status.success(), "a corrupted store must not open");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error:"), "{stderr}");
}

#[tokio::test]
async fn a_store_held_by_a_running_server_is_said_to_be_in_use() {
    let dir = temp_dir("in-use").join("db");
    let url = format!("surrealkv://{}", dir.display());
    let _server = open_database(&url, true).await.expect("created");
    let err = open_database(&url, false).await.expect_err("held by the first");
    assert!(matches!(err, StartupError::InUse(_)), "{err}");
    assert!(err.to_string().contains("in use by another process"), "{err}");
}
