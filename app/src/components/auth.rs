//! Who is signed in, the page frame around every route, and the role guard for pages.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::{use_location, use_navigate};

use crate::domain::auth::api::{current_user, Login, Logout};
use crate::domain::auth::types::{Role, SessionUser};
use crate::error::AppError;

/// The session as every component sees it.
#[derive(Clone, Copy)]
pub struct Auth {
    /// The signed-in user (`None` when anonymous); refetched after sign-in and sign-out.
    pub user: Resource<Result<Option<SessionUser>, AppError>>,
    /// The sign-in action.
    pub login: ServerAction<Login>,
    /// The sign-out action.
    pub logout: ServerAction<Logout>,
}

/// Creates the [`Auth`] context; call once in `App`.
pub fn provide_auth() {
    let login = ServerAction::<Login>::new();
    let logout = ServerAction::<Logout>::new();
    let user = Resource::new(move || (login.version().get(), logout.version().get()), |_| current_user());
    provide_context(Auth { user, login, logout });
}

/// The [`Auth`] context.
pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

/// Header, navigation and main area around every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = auth.logout.value().get() {
            navigate("/", Default::default());
        }
    });
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">
                    "M"
                </span>
                <span class="brand-name">"Mentorship"</span>
            </a>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match auth.user.await {
                        Ok(Some(user)) => view! { <SignedInNav user /> }.into_any(),
                        _ => {
                            view! {
                                <nav class="nav" aria-label="Main">
                                    <a class="button button-small" href="/login">
                                        "Sign in"
                                    </a>
                                </nav>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </header>
        <main id="main" class="main">
            {children()}
        </main>
        <footer class="footer">
            <span>"Mentorship — self-hosted leadership mentoring."</span>
            <span class="muted">"Your data stays on your servers."</span>
        </footer>
    }
}

#[component]
fn SignedInNav(user: SessionUser) -> impl IntoView {
    let auth = use_auth();
    let initials: String =
        user.name.split_whitespace().filter_map(|w| w.chars().next()).take(2).collect::<String>().to_uppercase();
    let is_admin = user.has_role(Role::Admin);
    let sees_dashboard = is_admin || user.has_role(Role::Leadership);
    let roles = user.roles.clone();
    view! {
        <nav class="nav" aria-label="Main">
            <div class="nav-links">
                {roles
                    .into_iter()
                    .map(|r| {
                        view! {
                            <A href=r.home_path() attr:class="nav-link">
                                {r.label()}
                            </A>
                        }
                    })
                    .collect_view()} <A href="/cohorts" attr:class="nav-link">
                    "Join a program"
                </A> <Show when=move || sees_dashboard>
                    <A href="/dashboard" attr:class="nav-link">
                        "Dashboard"
                    </A>
                </Show> <Show when=move || is_admin>
                    <A href="/admin/users" attr:class="nav-link">
                        "People"
                    </A>
                    <A href="/admin/programs" attr:class="nav-link">
                        "Programs"
                    </A>
                    <A href="/admin/cohorts" attr:class="nav-link">
                        "Cohorts"
                    </A>
                    <A href="/admin/skills" attr:class="nav-link">
                        "Skills"
                    </A>
                    <A href="/admin/surveys" attr:class="nav-link">
                        "Surveys"
                    </A>
                </Show>
            </div>
            <div class="nav-account">
                <A href="/account" attr:class="avatar-link" attr:title="Your account">
                    <span class="avatar" aria-hidden="true">
                        {initials}
                    </span>
                    <span class="nav-user-name">{user.name.clone()}</span>
                </A>
                // A plain form, as on the sign-in page (routes/login.rs).
                <form
                    action=Logout::url()
                    method="post"
                    class="inline-form"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        auth.logout.dispatch(Logout {});
                    }
                >
                    <button type="submit" class="button button-ghost button-small">
                        "Sign out"
                    </button>
                </form>
            </div>
        </nav>
    }
}

/// Renders `children` only for a signed-in user holding `role` (any role when `None`).
/// Anonymous visitors are sent to sign in and come back here afterwards. This is UX only: every
/// server function checks the role again.
#[component]
pub fn RequireRole(
    /// The role the page needs; `None` for any signed-in user.
    #[prop(optional)]
    role: Option<Role>,
    /// The page.
    children: ChildrenFn,
) -> impl IntoView {
    let auth = use_auth();
    let location = use_location();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match auth.user.await {
                    Ok(Some(user)) if role.is_some() && user.must_change_password => {
                        view! { <Redirect path="/account?first=1" /> }.into_any()
                    }
                    Ok(Some(user)) if role.is_none_or(|r| user.has_role(r)) => children.read_value()().into_any(),
                    Ok(Some(_)) => view! { <Forbidden /> }.into_any(),
                    Ok(None) if matches!(auth.logout.value().get_untracked(), Some(Ok(()))) => {
                        // Just signed out here: the header sends the visitor home; do not race it
                        // with a "sign in to come back" redirect.
                        view! { <Redirect path="/" /> }
                            .into_any()
                    }
                    Ok(None) => {
                        let here = location.pathname.get_untracked();
                        let path = format!("/login?next={}", urlencode(&here));
                        view! { <Redirect path /> }.into_any()
                    }
                    Err(e) => view! { <p class="alert alert-error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The "no access" panel.
#[component]
pub fn Forbidden() -> impl IntoView {
    view! {
        <section class="panel narrow center">
            <h1>"No access"</h1>
            <p class="muted">
                "Your account does not have the role this page needs. Ask an admin if you think it should."
            </p>
            <a class="button" href="/home">
                "Go to my home page"
            </a>
        </section>
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
