//! Password checks that reuse their memory.
//!
//! Argon2 (the default parameters: 19 MiB, two passes) needs its 19 MiB filled for every check.
//! Allocated each time, those pages came fresh from the kernel, which zeroed them first: under the
//! load test about as much CPU went to page faults and zeroing as to argon2 itself. The checks
//! here take a buffer from a small pool instead (at most one per check running at once, which
//! [`super::server`] caps at the cores), so a sign-in costs the hash and nothing more. Argon2
//! writes every block before it reads it, so a reused buffer needs no clearing.

use std::sync::Mutex;

use argon2::password_hash::PasswordHash;
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// Buffers not in use (each as long as the largest hash checked with it needed).
static POOL: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());
/// Buffers kept at most; more checks at once than this allocate and free their own.
const POOL_MAX: usize = 8;

/// Whether `password` matches the PHC string `phc`. Argon2 hashes are checked with pooled
/// memory; anything else goes to `password_auth` (which also answers for hashes it cannot read).
pub fn verify(password: &[u8], phc: &str) -> bool {
    match verify_argon2(password, phc) {
        Some(ok) => ok,
        None => password_auth::verify_password(password, phc).is_ok(),
    }
}

/// `None` when `phc` is not an argon2 hash this can check.
fn verify_argon2(password: &[u8], phc: &str) -> Option<bool> {
    let hash = PasswordHash::new(phc).ok()?;
    let algorithm = Algorithm::try_from(hash.algorithm).ok()?;
    let version = match hash.version {
        Some(v) => Version::try_from(v).ok()?,
        None => Version::default(),
    };
    let params = Params::try_from(&hash).ok()?;
    let expected = hash.hash?;
    let mut salt = [0u8; 64];
    let salt = hash.salt?.decode_b64(&mut salt).ok()?;
    let mut out = vec![0u8; expected.len()];
    let blocks = params.block_count();
    let mut memory = POOL.lock().unwrap_or_else(|e| e.into_inner()).pop().unwrap_or_default();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let done = Argon2::new(algorithm, version, params).hash_password_into_with_memory(
        password,
        salt,
        &mut out,
        &mut memory[..blocks],
    );
    {
        let mut pool = POOL.lock().unwrap_or_else(|e| e.into_inner());
        if pool.len() < POOL_MAX {
            pool.push(memory);
        }
    }
    done.ok()?;
    // `Output`'s equality is constant-time.
    Some(argon2::password_hash::Output::new(&out).ok()? == expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_password_auth_and_reuses_memory() {
        let hash = password_auth::generate_hash("correct horse battery staple");
        for _ in 0..3 {
            assert!(verify(b"correct horse battery staple", &hash));
            assert!(!verify(b"correct horse battery stapler", &hash));
            assert!(!verify(b"", &hash));
        }
        // The checks above went through the pool, and left a buffer in it.
        assert_eq!(verify_argon2(b"correct horse battery staple", &hash), Some(true));
        assert!(!POOL.lock().unwrap().is_empty());
        // Not an argon2 hash, or not a hash at all: no match, no panic.
        assert!(!verify(b"x", "not a hash"));
        assert!(!verify(b"x", "$argon2id$v=19$m=19456,t=2,p=1$bm90YXNhbHQ$"));
    }

    #[test]
    fn other_argon2_parameters_are_honoured() {
        // A smaller, older hash (as an earlier default might have made): its own memory size.
        use argon2::password_hash::{PasswordHasher, SaltString};
        let params = Params::new(8 * 1024, 1, 1, None).unwrap();
        let salt = SaltString::encode_b64(b"sixteen byte salt").unwrap();
        let phc =
            Argon2::new(Algorithm::Argon2i, Version::V0x10, params).hash_password(b"pw", &salt).unwrap().to_string();
        assert_eq!(verify_argon2(b"pw", &phc), Some(true));
        assert_eq!(verify_argon2(b"pW", &phc), Some(false));
        assert!(password_auth::verify_password("pw", &phc).is_ok());
    }
}
