//! `tables/ID.csv`: every table as data, the same cells as the report, numbers without
//! separators.

use super::format::{cell_value, spreadsheet_safe};
use crate::figures::model::Table;

pub fn table(table: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(
        table
            .columns
            .iter()
            .map(|c| spreadsheet_safe(c).into_owned()),
    )?;
    for row in &table.rows {
        let mut record = vec![spreadsheet_safe(&row.label).into_owned()];
        record.extend(row.cells.iter().map(|cell| match cell_value(cell) {
            serde_json::Value::String(s) => spreadsheet_safe(&s).into_owned(),
            other => other.to_string(),
        }));
        writer.write_record(&record)?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}
