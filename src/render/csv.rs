//! `tables/ID.csv`: every table as data, the same cells as the report, numbers without
//! separators.

use super::format::cell_value;
use crate::figures::model::Table;

pub fn table(table: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&table.columns)?;
    for row in &table.rows {
        let mut record = vec![row.label.clone()];
        record.extend(row.cells.iter().map(|cell| match cell_value(cell) {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        }));
        writer.write_record(&record)?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}
