//! Safe Markdown for mentor guides: a small subset (headings, lists, paragraphs, emphasis)
//! rendered as Leptos views, never as raw HTML, so a guide cannot inject markup or scripts.

use leptos::prelude::*;

/// One block of a guide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// `#`, `##` or `###` heading (level 2–4 on the page).
    Heading(u8, String),
    /// A run of `- ` or `* ` items.
    List(Vec<String>),
    /// A paragraph.
    Paragraph(String),
}

/// Splits Markdown text into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let flush = |para: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !para.is_empty() {
            blocks.push(Block::Paragraph(para.join(" ")));
            para.clear();
        }
    };
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() {
            flush(&mut para, &mut blocks);
        } else if let Some(rest) = t.strip_prefix("### ") {
            flush(&mut para, &mut blocks);
            blocks.push(Block::Heading(4, rest.to_string()));
        } else if let Some(rest) = t.strip_prefix("## ") {
            flush(&mut para, &mut blocks);
            blocks.push(Block::Heading(3, rest.to_string()));
        } else if let Some(rest) = t.strip_prefix("# ") {
            flush(&mut para, &mut blocks);
            blocks.push(Block::Heading(2, rest.to_string()));
        } else if let Some(rest) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
            flush(&mut para, &mut blocks);
            match blocks.last_mut() {
                Some(Block::List(items)) => items.push(rest.to_string()),
                _ => blocks.push(Block::List(vec![rest.to_string()])),
            }
        } else {
            para.push(t);
        }
    }
    flush(&mut para, &mut blocks);
    blocks
}

/// Splits a line into plain and emphasised runs: `**strong**` and `*em*`.
pub fn inline(text: &str) -> Vec<(u8, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (marker, weight) = match (rest.find("**"), rest.find('*')) {
            (Some(s), Some(e)) if s <= e => ("**", 2u8),
            (_, Some(_)) => ("*", 1u8),
            _ => {
                out.push((0, rest.to_string()));
                break;
            }
        };
        let start = rest.find(marker).unwrap_or(0);
        let after = &rest[start + marker.len()..];
        match after.find(marker) {
            Some(end) if end > 0 => {
                if start > 0 {
                    out.push((0, rest[..start].to_string()));
                }
                out.push((weight, after[..end].to_string()));
                rest = &after[end + marker.len()..];
            }
            _ => {
                out.push((0, rest.to_string()));
                break;
            }
        }
    }
    out
}

fn render_inline(text: String) -> impl IntoView {
    inline(&text)
        .into_iter()
        .map(|(w, t)| match w {
            2 => view! { <strong>{t}</strong> }.into_any(),
            1 => view! { <em>{t}</em> }.into_any(),
            _ => t.into_any(),
        })
        .collect_view()
}

/// Renders a guide.
#[component]
pub fn Markdown(
    /// The Markdown text.
    #[prop(into)]
    text: Signal<String>,
) -> impl IntoView {
    view! {
        <div class="markdown">
            {move || {
                parse(&text.get())
                    .into_iter()
                    .map(|b| match b {
                        Block::Heading(2, t) => view! { <h2>{render_inline(t)}</h2> }.into_any(),
                        Block::Heading(3, t) => view! { <h3>{render_inline(t)}</h3> }.into_any(),
                        Block::Heading(_, t) => view! { <h4>{render_inline(t)}</h4> }.into_any(),
                        Block::List(items) => {
                            view! {
                                <ul>
                                    {items.into_iter().map(|i| view! { <li>{render_inline(i)}</li> }).collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Block::Paragraph(t) => view! { <p>{render_inline(t)}</p> }.into_any(),
                    })
                    .collect_view()
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks() {
        let b = parse("## Coaching\n\nAsk more.\nTell less.\n\n- one\n- two\n<script>alert(1)</script>");
        assert_eq!(b[0], Block::Heading(3, "Coaching".into()));
        assert_eq!(b[1], Block::Paragraph("Ask more. Tell less.".into()));
        assert_eq!(b[2], Block::List(vec!["one".into(), "two".into()]));
        // Markup is just text: it is rendered escaped by the view layer.
        assert_eq!(b[3], Block::Paragraph("<script>alert(1)</script>".into()));
    }

    #[test]
    fn emphasis() {
        assert_eq!(
            inline("a **b** *c* d"),
            vec![(0, "a ".into()), (2, "b".into()), (0, " ".into()), (1, "c".into()), (0, " d".into())]
        );
        assert_eq!(inline("2 * 3"), vec![(0, "2 * 3".into())]);
    }
}
