//! People: listing, creating with a temporary password, roles, deactivation, password resets.

use surrealdb::types::SurrealValue;

use crate::db::{check_key, checked, is_unique_violation, Db};
use crate::domain::auth::server::{
    forget_kept_user, hash_password, Access, Audit, AUDIT_STATEMENT, TEMP_PASSWORD_VALID,
};
use crate::domain::auth::types::Role;
use crate::domain::people::types::{check_roles, CreatedUser, NewUser, Outcomes, UserRow};
use crate::error::{AppError, FieldErrors};

const USER_FIELDS: &str = "record::id(id) AS id, email, name, roles, department, title, level, active,
    must_change_password, IF hired_on THEN time::format(hired_on, '%Y-%m-%d') END AS hired_on,
    IF left_on THEN time::format(left_on, '%Y-%m-%d') END AS left_on,
    IF promoted_on THEN time::format(promoted_on, '%Y-%m-%d') END AS promoted_on, new_level";

#[derive(SurrealValue)]
struct UserDbRow {
    id: String,
    email: String,
    name: String,
    roles: Vec<String>,
    department: String,
    title: String,
    level: Option<i64>,
    active: bool,
    must_change_password: bool,
    hired_on: Option<String>,
    left_on: Option<String>,
    promoted_on: Option<String>,
    new_level: Option<i64>,
}

impl From<UserDbRow> for UserRow {
    fn from(r: UserDbRow) -> Self {
        let mut roles: Vec<Role> = r.roles.iter().filter_map(|s| Role::parse(s)).collect();
        roles.sort();
        UserRow {
            id: r.id,
            email: r.email,
            name: r.name,
            roles,
            department: r.department,
            title: r.title,
            level: r.level,
            active: r.active,
            must_change_password: r.must_change_password,
            outcomes: Outcomes {
                hired_on: r.hired_on,
                left_on: r.left_on,
                promoted_on: r.promoted_on,
                new_level: r.new_level,
            },
        }
    }
}

/// Every user, sorted by name.
pub async fn list(db: &Db) -> Result<Vec<UserRow>, AppError> {
    let mut res =
        db.query(format!("SELECT {USER_FIELDS} FROM user")).await.map_err(|e| AppError::internal("list users", e))?;
    let rows: Vec<UserDbRow> = res.take(0).map_err(|e| AppError::internal("list users", e))?;
    let mut users: Vec<UserRow> = rows.into_iter().map(UserRow::from).collect();
    users.sort_by_key(|u| u.name.to_lowercase());
    Ok(users)
}

/// One user by key.
pub async fn get(db: &Db, id: &str) -> Result<UserRow, AppError> {
    let id = check_key(id)?;
    let mut res = db
        .query(format!("SELECT {USER_FIELDS} FROM type::record('user', $id)"))
        .bind(("id", id.to_string()))
        .await
        .map_err(|e| AppError::internal("get user", e))?;
    let rows: Vec<UserDbRow> = res.take(0).map_err(|e| AppError::internal("get user", e))?;
    rows.into_iter().next().map(UserRow::from).ok_or(AppError::NotFound)
}

/// Inserts a user with a given password hash, with its audit entry in the same transaction.
/// Duplicate email → `Conflict` on `email`.
pub async fn insert(
    db: &Db,
    user: &NewUser,
    password_hash: String,
    must_change_password: bool,
    audit: Option<Audit>,
) -> Result<String, AppError> {
    let roles: Vec<String> = user.roles.iter().map(|r| r.as_str().to_string()).collect();
    let audit_sql = if audit.is_some() { AUDIT_STATEMENT } else { "" };
    let query = db.query(format!(
        "BEGIN;
         CREATE user SET org = org:main, email = $email, name = $name, department = $department,
             title = $title, level = $level, roles = $roles, password_hash = $hash,
             must_change_password = $must_change,
             temp_password_until = IF $must_change THEN time::now() + $temp_valid END
         RETURN VALUE record::id(id);
         {audit_sql}
         COMMIT;"
    ));
    let query = match audit {
        Some(a) => a.bind(query),
        None => query,
    };
    let mut res = query
        .bind(("email", user.email.clone()))
        .bind(("name", user.name.clone()))
        .bind(("department", user.department.clone()))
        .bind(("title", user.title.clone()))
        .bind(("level", user.level))
        .bind(("roles", roles))
        .bind(("hash", password_hash))
        .bind(("temp_valid", TEMP_PASSWORD_VALID))
        .bind(("must_change", must_change_password))
        .await
        .and_then(checked)
        .map_err(|e| {
            if is_unique_violation(&e) {
                AppError::Conflict { field: "email".into(), message: "A person with this email already exists.".into() }
            } else {
                AppError::internal("create user", e)
            }
        })?;
    let ids: Vec<String> = res.take(1).map_err(|e| AppError::internal("create user", e))?;
    ids.into_iter().next().ok_or_else(|| AppError::internal("create user", "no id returned"))
}

/// A readable random temporary password: four groups of four from an unambiguous alphabet.
pub fn temporary_password() -> Result<String, AppError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| AppError::internal("random password", e))?;
    let chars: Vec<char> = bytes.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
    Ok(chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-"))
}

/// Adds a person with a temporary password (shown once to the admin).
pub async fn create_with_temporary_password(access: &Access, user: NewUser) -> Result<CreatedUser, AppError> {
    let temporary_password = temporary_password()?;
    let hash = hash_password(temporary_password.clone()).await?;
    let audit = Audit::by(access, "added", format!("{} <{}> as {}", user.name, user.email, role_list(&user.roles)));
    let id = insert(&access.db, &user, hash, true, Some(audit)).await?;
    Ok(CreatedUser { user: get(&access.db, &id).await?, temporary_password })
}

fn role_list(roles: &[Role]) -> String {
    roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
}

/// Replaces a user's roles.
pub async fn set_roles(access: &Access, id: &str, roles: &[Role]) -> Result<UserRow, AppError> {
    let id = check_key(id)?;
    let mut errors = FieldErrors::default();
    let roles = check_roles(&mut errors, roles);
    let Some(roles) = roles else { return Err(AppError::Validation(errors)) };
    if id == access.user().id && !roles.contains(&Role::Admin) {
        return Err(AppError::field("roles", "You cannot remove your own admin role. Ask another admin to do it."));
    }
    let before = get(&access.db, id).await?;
    let names: Vec<String> = roles.iter().map(|r| r.as_str().to_string()).collect();
    let audit = Audit::by(
        access,
        "changed roles of",
        format!("{}: {} → {}", before.name, role_list(&before.roles), role_list(&roles)),
    );
    let query = access
        .db
        .query(format!("BEGIN; UPDATE type::record('user', $id) SET roles = $roles; {AUDIT_STATEMENT} COMMIT;"));
    audit
        .bind(query)
        .bind(("id", id.to_string()))
        .bind(("roles", names))
        .await
        .and_then(checked)
        .map_err(|e| AppError::internal("set roles", e))?;
    forget_kept_user(id);
    get(&access.db, id).await
}

/// Deactivates (and signs out everywhere) or reactivates a user.
pub async fn set_active(access: &Access, id: &str, active: bool) -> Result<UserRow, AppError> {
    let id = check_key(id)?;
    if id == access.user().id && !active {
        return Err(AppError::field("active", "You cannot deactivate your own account."));
    }
    let before = get(&access.db, id).await?;
    let audit = Audit::by(access, if active { "reactivated" } else { "deactivated" }, before.name.clone());
    let query = access.db.query(format!(
        "BEGIN;
         UPDATE type::record('user', $id) SET active = $active;
         IF !$active {{ DELETE session WHERE user = type::record('user', $id) }};
         {AUDIT_STATEMENT}
         COMMIT;"
    ));
    audit
        .bind(query)
        .bind(("id", id.to_string()))
        .bind(("active", active))
        .await
        .and_then(checked)
        .map_err(|e| AppError::internal("set active", e))?;
    forget_kept_user(id);
    get(&access.db, id).await
}

/// Issues a new temporary password and signs the user out everywhere.
pub async fn reset_password(access: &Access, id: &str) -> Result<CreatedUser, AppError> {
    let id = check_key(id)?;
    let before = get(&access.db, id).await?;
    let temporary_password = temporary_password()?;
    let hash = hash_password(temporary_password.clone()).await?;
    let audit = Audit::by(access, "issued a temporary password to", before.name.clone());
    let query = access.db.query(format!(
        "BEGIN;
         UPDATE type::record('user', $id) SET password_hash = $hash, must_change_password = true,
             temp_password_until = time::now() + $temp_valid;
         DELETE session WHERE user = type::record('user', $id);
         DELETE login_failure WHERE key = $account_key OR string::starts_with(key, $account_key + '|');
         {AUDIT_STATEMENT}
         COMMIT;"
    ));
    audit
        .bind(query)
        .bind(("id", id.to_string()))
        .bind(("hash", hash))
        .bind(("account_key", format!("account:{}", before.email)))
        .bind(("temp_valid", TEMP_PASSWORD_VALID))
        .await
        .and_then(checked)
        .map_err(|e| AppError::internal("reset password", e))?;
    forget_kept_user(id);
    Ok(CreatedUser { user: get(&access.db, id).await?, temporary_password })
}

/// Replaces a person's four HR outcome values (checked against today and each other by
/// [`crate::domain::people::types::OutcomesInput::validate`]; the form sends all four).
pub async fn set_outcomes(access: &Access, id: &str, o: &Outcomes) -> Result<UserRow, AppError> {
    let id = check_key(id)?;
    let before = get(&access.db, id).await?;
    let audit = Audit::by(access, "changed HR outcomes of", format!("{}: {}", before.name, o.words()));
    let query = access.db.query(format!(
        "BEGIN;
         UPDATE type::record('user', $id) SET
             hired_on = IF $hired THEN <datetime> ($hired + 'T00:00:00Z') END,
             left_on = IF $left THEN <datetime> ($left + 'T00:00:00Z') END,
             promoted_on = IF $promoted THEN <datetime> ($promoted + 'T00:00:00Z') END,
             new_level = $new_level;
         {AUDIT_STATEMENT}
         COMMIT;"
    ));
    audit
        .bind(query)
        .bind(("id", id.to_string()))
        .bind(("hired", o.hired_on.clone()))
        .bind(("left", o.left_on.clone()))
        .bind(("promoted", o.promoted_on.clone()))
        .bind(("new_level", o.new_level))
        .await
        .and_then(checked)
        .map_err(|e| AppError::internal("set outcomes", e))?;
    get(&access.db, id).await
}
