//! Section 2: representations received, by type and statutory or other, year on year.
//!
//! Several tables count the same representations cut different ways — by type here, refused by
//! reason, Ombudsman cases, other representations by type — so a reader could subtract one from
//! another. What ties them is a cross-tabulation of every representation by type, by whether it
//! has a stage, and by its role (refused, the Ombudsman, other): its cells are never shown, but
//! they are registered, so publication sees every route by which one table gives another away.

use super::ahead::Wanted;
use super::counts::Counts;
use super::inputs::{Inputs, Whole};
use super::model::{ChartKind, RowOrder, RowRole, Section, Table, number, text};
use super::quantity::{Formula, Key, Q, Subject};
use super::registry::{Build, SectionDef};
use super::tables::{
    Linker, YearTable, chart_over_periods, label_text, period_columns, period_row, year_table,
};
use crate::error::Result;

mod routes;
pub use routes::{RouteCounts, count_routes};

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
    ahead: &[Wanted::Routes],
    quotes: &[],
};

pub const STATUTORY: &str = "Statutory (in the complaints procedure)";
pub const OTHER: &str = "Other representations";
const ROUTES: [&str; 2] = [STATUTORY, OTHER];
const ROUTE_TOTALS: [&str; 2] = [
    "Total statutory representations",
    "Total other representations",
];

/// Representations of type `kind` in `route` (statutory or other) in period `slot`.
fn route_type_key(inputs: &Inputs, slot: usize, route: &str, kind: &str) -> Key {
    Key::new("starts", inputs.span(slot)).by("route and type", format!("{route} · {kind}"))
}

/// What a representation's type means to the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Refused,
    Ombudsman,
    Other,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Refused, Role::Ombudsman, Role::Other];

    pub fn name(self) -> &'static str {
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

/// What the cross-tabulation found beside its quantities.
#[derive(Debug, Clone)]
pub struct RouteCube {
    /// The types counted as statutory without a stage, as the data spells them.
    pub statutory_types: Vec<String>,
    /// Representations by type, per period.
    pub by_type: Counts,
}

/// Registers the cross-tabulation and ties it to the totals by type, by route, and by role;
/// every section that shows a cut of representations calls it, and it is made the first time.
pub fn route_cube(inputs: &Inputs) -> Result<RouteCube> {
    if let Some(made) = &*inputs.route_cube.borrow() {
        return Ok(made.clone());
    }
    let made = register_route_cube(inputs)?;
    *inputs.route_cube.borrow_mut() = Some(made.clone());
    Ok(made)
}

fn register_route_cube(inputs: &Inputs) -> Result<RouteCube> {
    let counted = inputs.worked_out::<RouteCounts>(Wanted::Routes)?;
    let RouteCounts {
        cells: counts,
        by_type,
        ombudsman_types,
        statutory_types,
    } = &*counted;
    let slots = inputs.slots.len();
    for s in 0..slots {
        let mut registry = inputs.registry();
        let mut route_parts: [Vec<Q>; 2] = [Vec::new(), Vec::new()];
        // Each type's count in each route: the grouped table's rows.
        let mut type_in_route: [Vec<Q>; 2] = [Vec::new(), Vec::new()];
        let mut role_parts: [Vec<Q>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        for (kind, values) in &by_type.rows {
            let kind_text = label_text(kind);
            let kind_raw = kind.clone().unwrap_or_default();
            let mut parts = Vec::new();
            let mut by_route: [Vec<Q>; 2] = [Vec::new(), Vec::new()];
            for staged in [true, false] {
                let route = usize::from(!(staged || statutory_types.contains(&kind_text)));
                for (r, role) in Role::ALL.into_iter().enumerate() {
                    let stage = if staged { "1" } else { "0" };
                    let n = counts
                        .get_cell(&[&kind_raw, stage, role.name()])
                        .map_or(0, |v| v[s]);
                    let q = registry.linking_count(
                        route_key(inputs, s, &kind_text, staged, role),
                        n,
                        Subject::People,
                    );
                    parts.push(q);
                    route_parts[route].push(q);
                    by_route[route].push(q);
                    role_parts[r].push(q);
                }
            }
            for (route, cells) in by_route.iter().enumerate() {
                let n = cells
                    .iter()
                    .map(|q| registry.get(*q).count().unwrap_or(0))
                    .sum();
                let q = registry.count(
                    route_type_key(inputs, s, ROUTES[route], &kind_text),
                    n,
                    Subject::People,
                );
                registry.sum(q, cells);
                if ombudsman_types.contains(&kind_text) {
                    registry.set_subject(q, Subject::Ombudsman);
                }
                type_in_route[route].push(q);
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
        for (i, label) in ROUTES.into_iter().enumerate() {
            let q = registry.count(
                Key::new("starts", inputs.span(s)).by("route", label),
                route_totals[i],
                Subject::People,
            );
            registry.sum(q, &route_parts[i]);
            registry.sum(q, &type_in_route[i]);
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
    Ok(RouteCube {
        statutory_types: statutory_types.clone(),
        by_type: by_type.clone(),
    })
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
    let RouteCube {
        statutory_types,
        by_type,
    } = route_cube(inputs)?;
    let slots = &inputs.slots;
    let current = inputs.current();
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

    let kinds: Vec<String> = by_type.rows.iter().map(|(k, _)| label_text(k)).collect();
    let (routes_table, route_totals) = routes_table(inputs, &kinds, &types.total, &statutory_types);

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
    facts.quantity("statutory_total", Some(route_totals[0][current]));
    facts.quantity("other_total", Some(route_totals[1][current]));

    let chart = chart_over_periods(
        &routes_table,
        ChartKind::Bar,
        &format!("Representations received by {}", inputs.period_noun),
        format!(
            "Bar chart of statutory and other representations received in each {}: {}.",
            inputs.period_noun,
            slots.labels().join(", ")
        ),
        &ROUTE_TOTALS,
        slots,
        "Representations",
    );
    Ok(facts.section(&SECTION, vec![types_table, routes_table], vec![chart]))
}

/// Statutory and other representations as groups, as councils' reports set them out: each
/// group's types (A to Z, so the order says nothing about a hidden count), its subtotal, and the
/// total. Every subtotal is the sum of its rows, registered so. Returns the table and each
/// route's totals by period.
fn routes_table(
    inputs: &Inputs,
    kinds: &[String],
    total: &[Q],
    statutory_types: &[String],
) -> (Table, [Vec<Q>; 2]) {
    let slots = &inputs.slots;
    let span = |s: usize| inputs.span(s);
    let (route_totals, in_route) = {
        let registry = inputs.registry.borrow();
        let find = |key: Key| registry.find(&key).expect("route_cube registers it");
        let route_totals: [Vec<Q>; 2] = ROUTES.map(|route| {
            (0..slots.len())
                .map(|s| find(Key::new("starts", span(s)).by("route", route)))
                .collect()
        });
        let in_route: [Vec<(String, Vec<Q>)>; 2] = ROUTES.map(|route| {
            let mut rows: Vec<(String, Vec<Q>)> = kinds
                .iter()
                .map(|kind| {
                    let qs = (0..slots.len())
                        .map(|s| find(route_type_key(inputs, s, route, kind)))
                        .collect();
                    (kind.clone(), qs)
                })
                .collect();
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            rows
        });
        (route_totals, in_route)
    };
    let shown = |qs: &[Q]| slots.shown.iter().any(|&s| inputs.value(qs[s]) != 0);
    let in_both = |kind: &str| {
        in_route
            .iter()
            .all(|rows| rows.iter().any(|(k, qs)| k == kind && shown(qs)))
    };
    let mut columns = period_columns("Type", slots);
    columns.extend(slots.change_columns());
    let mut table = Table::new(
        "received-statutory-other",
        "Statutory and other representations, by type",
        columns,
    );
    for (route, rows) in in_route.iter().enumerate() {
        for (kind, qs) in rows.iter().filter(|(_, qs)| shown(qs)) {
            let label = if in_both(kind) {
                let staged = if route == 0 {
                    "with a stage"
                } else {
                    "without a stage"
                };
                format!("{kind} ({staged})")
            } else {
                kind.clone()
            };
            table.rows.push(period_row(inputs, &label, qs, true));
        }
        let mut subtotal = period_row(inputs, ROUTE_TOTALS[route], &route_totals[route], true);
        subtotal.role = RowRole::Total;
        table.rows.push(subtotal);
    }
    let mut grand = period_row(inputs, "Total representations", total, true);
    grand.role = RowRole::Total;
    table.rows.push(grand);
    table.order = RowOrder::Fixed;
    let rule = if statutory_types.is_empty() {
        "Statutory representations are those with a stage under the 2006 Regulations.".to_string()
    } else {
        format!(
            "Statutory representations are those with a stage under the 2006 Regulations, and every {} (report.toml, [labels] statutory).",
            statutory_types.join(", ")
        )
    };
    (table.with_note(rule), route_totals)
}
