//! Section 2: representations received, by type and statutory or other, year on year.
//!
//! Several tables count the same representations cut different ways — by type here, refused by
//! reason, Ombudsman cases, other representations by type — so a reader could subtract one from
//! another. What ties them is a cross-tabulation of every representation by type, by whether it
//! has a stage, and by its role (refused, the Ombudsman, other): its cells are never shown, but
//! they are registered, so publication sees every route by which one table gives another away.

use polars::prelude::*;

use super::frame::count_by;
use super::inputs::{Inputs, Whole};
use super::model::{ChartKind, Section, number, text};
use super::quantity::{Formula, Key, Q, Subject};
use super::registry::{Build, SectionDef};
use super::tables::{Linker, YearTable, chart_over_periods, label_text, year_table};
use crate::error::Result;
use crate::load::derived;

pub const SECTION: SectionDef = SectionDef {
    id: "received",
    title: "Representations received",
    facts: &[
        number("representations_total"),
        number("representations_per_month"),
        number("representations_previous"),
        text("previous_label"),
        number("statutory_total"),
        number("other_total"),
    ],
    build: Build::Figures(build),
};

pub const STATUTORY: &str = "Statutory (in the complaints procedure)";
pub const OTHER: &str = "Other representations";

/// What a representation's type means to the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Refused,
    Ombudsman,
    Other,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Refused, Role::Ombudsman, Role::Other];

    fn name(self) -> &'static str {
        match self {
            Role::Refused => "refused",
            Role::Ombudsman => "ombudsman",
            Role::Other => "other",
        }
    }
}

/// The never-shown cell of the cross-tabulation: representations of `kind`, with or without a
/// stage, in `role`.
pub fn route_key(inputs: &Inputs, slot: usize, kind: &str, staged: bool, role: Role) -> Key {
    let stage = if staged { "stage" } else { "no stage" };
    Key::new("starts.route", inputs.span(slot))
        .by("type", format!("{kind} · {stage} · {}", role.name()))
}

/// Registers the cross-tabulation and ties it to the totals by type, by route, and by role;
/// every section that shows a cut of representations calls it (once is enough; again is harmless).
pub fn route_cube(inputs: &Inputs) -> Result<()> {
    let flag = |name: &str| col(name).fill_null(lit(false));
    let frame = inputs.starts().with_column(
        (col("type").fill_null(lit("")).cast(DataType::String)
            + lit("\u{1f}")
            + when(col("stage").is_not_null())
                .then(lit("1"))
                .otherwise(lit("0"))
            + lit("\u{1f}")
            + when(flag(derived::REFUSED))
                .then(lit("refused"))
                .when(flag(derived::OMBUDSMAN))
                .then(lit("ombudsman"))
                .otherwise(lit("other")))
        .alias("cell"),
    );
    let counts = count_by(frame, "cell", inputs.slots.len())?;
    let by_type = count_by(inputs.starts(), "type", inputs.slots.len())?;
    let ombudsman_types: Vec<String> = count_by(
        inputs.starts().filter(flag(derived::OMBUDSMAN)),
        "type",
        inputs.slots.len(),
    )?
    .rows
    .iter()
    .map(|(label, _)| label_text(label))
    .collect();
    let slots = inputs.slots.len();
    for s in 0..slots {
        let mut registry = inputs.registry();
        let mut route_parts: [Vec<Q>; 2] = [Vec::new(), Vec::new()];
        let mut role_parts: [Vec<Q>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        for (kind, values) in &by_type.rows {
            let kind_text = label_text(kind);
            let kind_raw = kind.clone().unwrap_or_default();
            let mut parts = Vec::new();
            for staged in [true, false] {
                for (r, role) in Role::ALL.into_iter().enumerate() {
                    let wanted =
                        format!("{kind_raw}\u{1f}{}\u{1f}{}", u8::from(staged), role.name());
                    let n = counts.get(&wanted).map_or(0, |v| v[s]);
                    let q = registry.linking_count(
                        route_key(inputs, s, &kind_text, staged, role),
                        n,
                        Subject::People,
                    );
                    parts.push(q);
                    route_parts[usize::from(!staged)].push(q);
                    role_parts[r].push(q);
                }
            }
            let total = registry.count(
                Key::new("starts", inputs.span(s)).by("type", kind_text.clone()),
                values[s],
                Subject::People,
            );
            registry.sum(total, &parts);
            // A type that means the Ombudsman counts the Ombudsman's cases.
            if ombudsman_types.contains(&kind_text) {
                registry.set_subject(total, Subject::Ombudsman);
            }
        }
        let route_totals: Vec<i64> = route_parts
            .iter()
            .map(|qs| {
                qs.iter()
                    .map(|q| registry.get(*q).count().unwrap_or(0))
                    .sum()
            })
            .collect();
        for (i, label) in [STATUTORY, OTHER].into_iter().enumerate() {
            let q = registry.count(
                Key::new("starts", inputs.span(s)).by("route", label),
                route_totals[i],
                Subject::People,
            );
            registry.sum(q, &route_parts[i]);
        }
        for (r, role) in Role::ALL.into_iter().enumerate() {
            let n = role_parts[r]
                .iter()
                .map(|q| registry.get(*q).count().unwrap_or(0))
                .sum();
            // Refused representations and Ombudsman cases are shown under their own names.
            let key = Key::new("starts", inputs.span(s)).by("role", role.name());
            let q = match role {
                Role::Other => registry.linking_count(key, n, Subject::People),
                Role::Refused => registry.count(key, n, Subject::People),
                Role::Ombudsman => registry.count(key, n, Subject::Ombudsman),
            };
            registry.sum(q, &role_parts[r]);
        }
    }
    Ok(())
}

/// All representations of `role` in each period (a linking count, shown as the refused total or
/// the Ombudsman's cases under their own names).
pub fn role_total(inputs: &Inputs, role: Role) -> Vec<Q> {
    let registry = inputs.registry.borrow();
    (0..inputs.slots.len())
        .map(|s| {
            registry
                .find(&Key::new("starts", inputs.span(s)).by("role", role.name()))
                .expect("route_cube registers every role")
        })
        .collect()
}

pub fn build(inputs: &Inputs) -> Result<Section> {
    route_cube(inputs)?;
    let slots = &inputs.slots;
    let current = inputs.current();
    let by_type = count_by(inputs.starts(), "type", slots.len())?;
    let types = inputs.breakdown("starts", "type", &by_type, Whole::Own, Subject::People);
    let types_table = year_table(
        inputs,
        YearTable {
            id: "received-by-type",
            title: "Representations received by type".into(),
            stub: "Type",
            total: Some("Total representations"),
            change: true,
        },
        &types,
    )
    .with_note("A complaint escalated to a later stage is counted once, at the stage it started.");

    let split_frame = inputs.starts().with_column(
        when(col("stage").is_not_null())
            .then(lit(STATUTORY))
            .otherwise(lit(OTHER))
            .alias("route"),
    );
    let mut by_route = count_by(split_frame, "route", slots.len())?;
    for label in [STATUTORY, OTHER] {
        if by_route.get(label).is_none() {
            by_route
                .rows
                .push((Some(label.into()), vec![0; slots.len()]));
        }
    }
    by_route
        .rows
        .sort_by_key(|(label, _)| label.as_deref() != Some(STATUTORY));
    let routes = inputs.breakdown(
        "starts",
        "route",
        &by_route,
        Whole::Divides(&types.total),
        Subject::People,
    );
    let mut routes_table = year_table(
        inputs,
        YearTable {
            id: "received-statutory-other",
            title: "Statutory and other representations".into(),
            stub: "Route",
            total: Some("Total representations"),
            change: true,
        },
        &routes,
    )
    .with_note("Statutory representations are those with a stage under the 2006 Regulations.");
    routes_table.order = super::model::RowOrder::Fixed;

    let mut facts = Linker::default();
    let total = types.total[current];
    facts.quantity("representations_total", Some(total));
    let months = inputs.period.months() as f64;
    let per_month = inputs.derive(
        "per_month",
        &[total],
        Some(inputs.value(total) as f64 / months),
        Formula::PerMonth {
            count: total,
            months,
        },
    );
    facts.quantity("representations_per_month", Some(per_month));
    // The previous period's name, whether or not this file covers it: other sections (such as
    // compliments) compare with it too.
    if let Some(previous) = slots.previous() {
        let name = match slots.periods[previous].kind {
            crate::period::Kind::Range => "the same period a year earlier".to_string(),
            _ => slots.periods[previous].label.clone(),
        };
        facts.plain("previous_label", name.as_str().into());
        if slots.present[previous] {
            facts.quantity("representations_previous", Some(types.total[previous]));
        }
    }
    facts.quantity("statutory_total", Some(routes.rows[0].1[current]));
    facts.quantity("other_total", Some(routes.rows[1].1[current]));

    let chart = chart_over_periods(
        &routes_table,
        ChartKind::Bar,
        &format!("Representations received by {}", inputs.period_noun),
        format!(
            "Bar chart of statutory and other representations received in each {}: {}.",
            inputs.period_noun,
            slots.labels().join(", ")
        ),
        &[STATUTORY, OTHER],
        slots,
        "Representations",
    );
    Ok(facts.section(&SECTION, vec![types_table, routes_table], vec![chart]))
}
