//! The SurrealDB server (the upstream command line) for `ws://` tests and trials; see Cargo.toml.

fn main() -> std::process::ExitCode {
    surrealdb_server::init(surrealdb_server::core::CommunityComposer())
}
