//! Section 12: compliments — the total against earlier years, by service, source and theme, and
//! quotes where the person gave consent to publish.

use polars::prelude::*;

use super::ahead::{Frames, Wanted};
use super::counts::{Counts, count_by, count_list_by};
use super::frame::{count_per_period, tag_periods};
use super::inputs::{Inputs, Whole};
use super::model::{Cell, ChartKind, Fact, Row, Section, Symbol, Table, list, number};
use super::quantity::Subject;
use super::registry::{Build, Quote, SectionDef};
use super::tables::{
    Linker, YearTable, chart_over_periods, period_columns, period_row, share_table, year_table,
};
use crate::error::Result;
use crate::load::contract::Source;

pub const SECTION: SectionDef = SectionDef {
    id: "compliments",
    title: "Compliments",
    facts: &[
        number("compliments_total"),
        number("compliments_previous"),
        list("compliment_quotes"),
        list("compliment_quote_sources"),
    ],
    build: Build::Figures(build),
    ahead: &[Wanted::Compliments],
    quotes: &[CONSENTED_WORDS],
};

/// Compliments' own words, quoted in public where the data says consent was given.
pub const CONSENTED_WORDS: Quote = Quote {
    source: Source::Compliments,
    column: "text",
    in_public: true,
};

/// At most this many quotes are shown.
const QUOTES: usize = 6;

pub fn build(inputs: &Inputs) -> Result<Section> {
    let current = inputs.current();
    let label = &inputs.slots.periods[current].label;
    let mut columns = period_columns("Measure", &inputs.slots);
    columns.extend(inputs.slots.change_columns());
    let mut totals = Table::new(
        "compliments",
        format!("Compliments received {}", inputs.over_time),
        columns,
    );
    let mut facts = Linker::default();

    let counted = inputs.worked_out::<Option<Counted>>(Wanted::Compliments)?;
    let Some(counted) = counted.as_ref() else {
        totals.rows.push(Row::new(
            "Compliments received",
            vec![Cell::Symbol(Symbol::NotAvailable); inputs.slots.shown.len() + 2],
        ));
        totals
            .notes
            .push("No compliments file was provided, so compliments are not available.".into());
        return Ok(facts.section(&SECTION, vec![totals], Vec::new()));
    };

    // The compliments file covers its own years.
    let mut slots = inputs.slots.clone();
    let file = inputs.dataset.file(Source::Compliments);
    slots.mark_coverage(
        file.and_then(|f| f.first_date),
        file.and_then(|f| f.last_date),
    );
    slots.present[current] = true;
    let _coverage = inputs.covered_by(slots.present.clone());

    let received = inputs.series("compliments", &counted.received);
    totals
        .rows
        .push(period_row(inputs, "Compliments received", &received, true));

    let services = inputs.breakdown(
        "compliments",
        "service",
        &counted.services,
        Whole::Divides(&received),
        Subject::People,
    );
    let services_table = year_table(
        inputs,
        YearTable {
            id: "compliments-by-service",
            title: "Compliments by service".into(),
            stub: "Service or team",
            total: Some("Total"),
            change: false,
        },
        &services,
    );
    let sources = inputs.breakdown(
        "compliments",
        "from",
        &counted.sources,
        Whole::Divides(&received),
        Subject::People,
    );
    let sources = inputs.grouped("compliments", "from", sources);
    let sources_table = share_table(
        inputs,
        "compliments-by-source",
        format!("Compliments by who gave them, {label}"),
        "From",
        &sources,
        &received,
        Some("Total"),
    );
    let themes = inputs.breakdown(
        "compliments",
        "theme",
        &counted.themes,
        Whole::Mentions(&received),
        Subject::People,
    );
    let themes = inputs.grouped("compliments", "theme", themes);
    let themes_table = share_table(
        inputs,
        "compliments-by-theme",
        format!("Compliments by theme, {label}"),
        "Theme",
        &themes,
        &received,
        None,
    )
    .with_note(
        "Percentages are of the compliments received; a compliment can have more than one theme.",
    );

    facts.quantity("compliments_total", Some(received[current]));
    if let Some(previous) = slots.previous().filter(|p| slots.present[*p]) {
        facts.quantity("compliments_previous", Some(received[previous]));
    }
    facts.plain("compliment_quotes", Fact::List(counted.quotes.clone()));
    facts.plain(
        "compliment_quote_sources",
        Fact::List(counted.attributions.clone()),
    );

    let chart = chart_over_periods(
        &totals,
        ChartKind::Bar,
        &format!("Compliments received by {}", inputs.period_noun),
        format!(
            "Bar chart of the compliments received in each {}.",
            inputs.period_noun
        ),
        &["Compliments received"],
        &slots,
        "Compliments",
    );
    Ok(facts.section(
        &SECTION,
        vec![totals, services_table, sources_table, themes_table],
        vec![chart],
    ))
}

/// The compliments counted per period, with the quotes of the report's own: what this section
/// and good practice show, made from the frames alone (`ahead`).
#[derive(Clone)]
pub struct Counted {
    pub received: Vec<i64>,
    pub services: Counts,
    pub sources: Counts,
    pub themes: Counts,
    pub quotes: Vec<String>,
    pub attributions: Vec<String>,
}

/// The compliments counted, or `None` without the file.
pub fn count(frames: &Frames) -> Result<Option<Counted>> {
    let Some(compliments) = &frames.dataset.compliments else {
        return Ok(None);
    };
    let periods = frames.slots.len();
    let tagged = tag_periods(compliments.clone().lazy(), "received", frames.slots).collect()?;
    let frame = || tagged.clone().lazy();
    let [received]: [Vec<i64>; 1] = count_per_period(frame(), lit(true), vec![lit(true)], periods)?
        .try_into()
        .expect("one count asked for");
    let (quotes, attributions) = consented_quotes(frame(), frames.slots.current())?;
    Ok(Some(Counted {
        received,
        services: count_by(frame(), "service", periods)?,
        sources: count_by(frame(), "from", periods)?,
        themes: count_list_by(frame(), "theme", periods)?,
        quotes,
        attributions,
    }))
}

/// Up to `QUOTES` distinct texts from the period whose authors agreed to publication, earliest
/// first, with who gave them and to which service.
pub fn consented_quotes(frame: LazyFrame, slot: usize) -> Result<(Vec<String>, Vec<String>)> {
    let rows = super::frame::in_slot(frame, slot)
        .filter(
            col("publish")
                .fill_null(lit(false))
                .and(col("text").is_not_null()),
        )
        .sort(["received"], SortMultipleOptions::default())
        .select([col("text"), col("from"), col("service")])
        .collect()?;
    let texts = super::frame::strings(&rows, "text")?;
    let from = super::frame::strings(&rows, "from")?;
    let service = super::frame::strings(&rows, "service")?;
    let mut quotes = Vec::new();
    let mut attributions = Vec::new();
    for ((text, from), service) in texts.iter().zip(from.iter()).zip(service.iter()) {
        let Some(text) = text else { continue };
        if quotes.iter().any(|q| q == text) {
            continue;
        }
        quotes.push(text.to_string());
        attributions.push(match (from, service) {
            (Some(from), Some(service)) => format!("{from}, about {service}"),
            (Some(from), None) => from.to_string(),
            (None, Some(service)) => format!("About {service}"),
            (None, None) => String::new(),
        });
        if quotes.len() == QUOTES {
            break;
        }
    }
    Ok((quotes, attributions))
}
