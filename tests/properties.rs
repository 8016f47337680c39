//! Properties of the whole pipeline, over data made at random: every row read is used, outside
//! the period or excluded with its reason; every total in the report is the sum of its parts.

mod common;

use common::library::{annual, load_folder};
use proptest::prelude::*;
use report::figures::model::{Audience, Cell, Report, RowRole};
use report::figures::quantity::{Q, Relation};
use report::period::FinancialYear;
use report::sample::{SampleOptions, generate};

/// A representation row, often broken: a duplicated reference, a stage 2 with no stage 1, a
/// response before receipt, a bad date, a stray quote, a ragged row.
fn row() -> impl Strategy<Value = String> {
    let reference = (0u8..25).prop_map(|n| format!("R{n}"));
    let kind = prop_oneof!["Complaint", "Case concern", "LGSCO", "Refused"];
    let stage = prop_oneof![
        Just(""),
        Just("1"),
        Just("1"),
        Just("2"),
        Just("3"),
        Just("x")
    ];
    let day = (0i64..1400).prop_map(|d| {
        (chrono::NaiveDate::from_ymd_opt(2021, 4, 1).unwrap() + chrono::Duration::days(d))
            .to_string()
    });
    let responded = prop_oneof![Just(String::new()), day.clone(), Just("31/02/2024".into())];
    let learning = prop_oneof![
        Just(""),
        Just("Listen"),
        Just("\"Mum said no"),
        Just("\"two\nlines\"")
    ];
    (
        reference,
        kind,
        stage,
        day,
        responded,
        learning,
        any::<bool>(),
    )
        .prop_map(
            |(reference, kind, stage, received, responded, learning, ragged)| {
                let extra = if ragged { ",extra" } else { "" };
                format!(
                    "{reference},{kind},{stage},{received},{responded},Upheld,{learning}{extra}"
                )
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_row_read_is_used_outside_the_period_or_excluded(rows in proptest::collection::vec(row(), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::from("reference,type,stage,received,responded,outcome,learning\n");
        for row in &rows {
            text.push_str(row);
            text.push('\n');
        }
        std::fs::write(dir.path().join("representations.csv"), &text).unwrap();
        let dataset = load_folder(dir.path());
        let file = dataset.file(report::load::contract::Source::Representations).unwrap();
        prop_assert!(file.account.balances(), "{:?}", file.account);
        prop_assert_eq!(file.rows_read, file.excluded.len() + dataset.representations.height());
        let year = FinancialYear::starting(2023);
        if dataset.period_problem(&year.period()).is_none() {
            let report = annual(&dataset, year, Audience::Internal);
            let reps = &report.reconciliation["representations"];
            let used = reps.rows_used.unwrap() + reps.rows_out_of_period.unwrap();
            prop_assert_eq!(reps.rows_read, used + reps.excluded.len());
            prop_assert_eq!(reps.rows_usable, used);
        }
    }
}

/// Every declared sum holds: each total is the sum of its parts, as registered; and every
/// table's total row, where its rows are the parts, is the sum of the rows shown.
fn check_sums(report: &Report) -> usize {
    let registry = &report.quantities;
    let mut checked = 0;
    for relation in registry.relations() {
        if let Relation::Sum { total, parts } = relation {
            let value = |q: &Q| registry.get(*q).count().unwrap();
            assert_eq!(
                value(total),
                parts.iter().map(value).sum::<i64>(),
                "{}",
                registry.get(*total).key.id()
            );
            checked += 1;
        }
    }
    for table in report.tables() {
        let Some(total) = table.rows.iter().position(|r| r.role == RowRole::Total) else {
            continue;
        };
        let total_row = &table.rows[total];
        for (c, cell) in total_row.cells.iter().enumerate() {
            let (Cell::Count(n), Some(q)) = (cell, total_row.sources[c]) else {
                continue;
            };
            let parts: Vec<Q> = table.rows[..total]
                .iter()
                .filter_map(|r| r.sources[c])
                .collect();
            let declared = registry.relations().iter().any(|r| {
                matches!(r, Relation::Sum { total: t, parts: p } if *t == q && {
                    let mut a = p.clone();
                    let mut b = parts.clone();
                    a.sort();
                    b.sort();
                    a == b
                })
            });
            if declared {
                let shown: i64 = table.rows[..total]
                    .iter()
                    .map(|r| match r.cells[c] {
                        Cell::Count(m) => m,
                        _ => 0,
                    })
                    .sum();
                assert_eq!(*n, shown, "{}: column {c}", table.id);
                checked += 1;
            }
        }
    }
    checked
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    #[test]
    fn every_total_is_the_sum_of_its_parts(seed in 0u64..10_000, scale in 1u32..4) {
        let dir = tempfile::tempdir().unwrap();
        generate(&SampleOptions { seed, scale, ..SampleOptions::default() }, dir.path()).unwrap();
        let dataset = load_folder(dir.path());
        prop_assert_eq!(dataset.problems.error_count(), 0);
        let report = annual(&dataset, FinancialYear::starting(2024), Audience::Internal);
        prop_assert!(check_sums(&report) > 50);
    }
}
