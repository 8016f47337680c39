//! `report`: statutory reports on complaints, representations and compliments about children's
//! social care, from a council's case-management exports.
//!
//! The pipeline runs one way: [`load`] (CSV + mapping → typed polars frames, validated) →
//! `figures` (one module per report section: quantities with identity and their relations,
//! tables, charts, headline facts) → [`publication`] (one suppression pass and its audit) →
//! `render` (Markdown, HTML, JSON, CSV, SVG, XLSX). [`calendar`] answers every working-day
//! question.

pub mod calendar;
pub mod commands;
pub mod config;
pub mod error;
pub mod figures;
pub mod load;
pub mod memory;
pub mod period;
pub mod publication;
pub mod render;
pub mod sample;

pub use error::{Error, Result};
