//! Publication: one suppression pass over every quantity a report may publish, its resolution
//! into the report's tables, sentences and charts, and an audit that proves from what was
//! published that no hidden count can be worked out. Between figures and render: figures
//! declare quantities and relations, publication decides what is shown, render formats it.

pub mod audit;
pub mod knowledge;
mod resolve;
pub mod solver;
pub mod suppress;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::figures::model::{Audience, Section};
use crate::figures::quantity::{Registry, Subject};
pub use audit::{Finding, audit};
pub use suppress::Pattern;

/// What may be published, as `report.toml`'s `[publication]` sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// Counts of people or cases from 1 to this minus one are hidden; 0 or 1 hides nothing.
    pub suppress_below: u32,
    /// A small hidden count must be able to take at least this many values given everything
    /// published: the protection interval. By default `suppress_below − 1`, as many as "1 to
    /// N−1" allows.
    pub protection: u32,
    /// Show the Ombudsman's counts as the Ombudsman publishes them.
    pub ombudsman_public: bool,
    /// Group a table's small categories as "Other" rather than hide each.
    pub group_small: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            suppress_below: 5,
            protection: 4,
            ombudsman_public: false,
            group_small: true,
        }
    }
}

impl Policy {
    /// Whether small counts about `subject` are hidden.
    pub fn suppressible(&self, subject: Subject) -> bool {
        match subject {
            Subject::People => true,
            Subject::Ombudsman => !self.ombudsman_public,
            Subject::Actions => false,
        }
    }

    pub fn is_small(&self, value: i64) -> bool {
        value >= 1 && value < i64::from(self.suppress_below)
    }

    /// Whether a hidden count of `value` is protected when a reader can narrow it to `range`:
    /// never to one value, and a small count to no fewer than `protection` values.
    pub fn protects(&self, value: i64, range: Option<(i64, i64)>) -> bool {
        match range {
            None => false,
            Some((low, high)) => {
                high > low
                    && (!self.is_small(value) || high - low + 1 >= i64::from(self.protection))
            }
        }
    }
}

/// Decides what the report shows and writes it into its sections: hidden counts as `[c]`
/// everywhere, facts from their quantities, rows in an order that says nothing about hidden
/// values. The internal edition hides nothing. Returns the pattern applied.
pub fn publish(
    sections: &mut [Section],
    registry: &Registry,
    policy: &Policy,
    audience: Audience,
) -> Result<Pattern> {
    let public = audience == Audience::Public && policy.suppress_below > 1;
    let pattern = if public {
        suppress::pattern(registry, policy)?
    } else {
        Pattern::none()
    };
    resolve::resolve(sections, registry, &pattern, public);
    Ok(pattern)
}
