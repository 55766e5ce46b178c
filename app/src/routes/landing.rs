//! The public landing page.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::auth::use_auth;

/// What the product is, and the way in.
#[component]
pub fn Landing() -> impl IntoView {
    let auth = use_auth();
    let cta = move || {
        Suspend::new(async move {
            match auth.user.await {
                Ok(Some(user)) => view! {
                    <a class="button button-primary button-large" href=user.home_path()>
                        "Go to my home page"
                    </a>
                }
                .into_any(),
                _ => view! {
                    <a class="button button-primary button-large" href="/login">
                        "Sign in"
                    </a>
                }
                .into_any(),
            }
        })
    };
    view! {
        <Title text="Leadership mentoring, done well" />
        <section class="hero">
            <div class="hero-text">
                <p class="eyebrow">"Leadership mentoring programs"</p>
                <h1>"Grow the leaders you already have."</h1>
                <p class="lead">
                    "Design a program around clear objectives, match every mentee with the right mentor, "
                    "follow SMART goals week by week, and measure honestly what changed."
                </p>
                <div class="hero-actions">
                    <Transition fallback=|| {
                        view! {
                            <a class="button button-primary button-large" href="/login">
                                "Sign in"
                            </a>
                        }
                    }>{cta}</Transition>
                </div>
            </div>
            <ol class="steps" aria-label="How a program runs">
                <li>
                    <span class="step-no">"1"</span>
                    <div>
                        <strong>"Objectives"</strong>
                        <span>"SMART goals bound to the metrics your dashboard tracks."</span>
                    </div>
                </li>
                <li>
                    <span class="step-no">"2"</span>
                    <div>
                        <strong>"Skills"</strong>
                        <span>"Your catalog of leadership skills; mentees pick what they develop."</span>
                    </div>
                </li>
                <li>
                    <span class="step-no">"3"</span>
                    <div>
                        <strong>"Approach"</strong>
                        <span>
                            "Coaching, peer mentoring or navigating workplace politics — with a guide for mentors."
                        </span>
                    </div>
                </li>
                <li>
                    <span class="step-no">"4"</span>
                    <div>
                        <strong>"Structure"</strong>
                        <span>"Eligibility, mentor capacity, phases, workshops and rewards."</span>
                    </div>
                </li>
                <li>
                    <span class="step-no">"5"</span>
                    <div>
                        <strong>"Feedback"</strong>
                        <span>"Short surveys on any phone: did the mentor help the mentee grow?"</span>
                    </div>
                </li>
                <li>
                    <span class="step-no">"6"</span>
                    <div>
                        <strong>"Measure"</strong>
                        <span>"Per-mentee progress, live dashboards and cohort retrospectives."</span>
                    </div>
                </li>
            </ol>
        </section>
        <section class="features">
            <article class="feature">
                <h2>"Matching you can explain"</h2>
                <p>"Every pair comes with its score and the reasons behind it; admins stay in control."</p>
            </article>
            <article class="feature">
                <h2>"Private by construction"</h2>
                <p>"Goals and meeting notes stay with the pair. Leadership sees aggregates, never individuals."</p>
            </article>
            <article class="feature">
                <h2>"Yours to run"</h2>
                <p>"One binary with an embedded database on a laptop, or a cluster when you grow."</p>
            </article>
        </section>
    }
}
