//! The labels and phrases of the synthetic authority, with how often each occurs. Shaped on what
//! councils' annual reports show (parents make most complaints; communication, quality of
//! service and staff conduct lead the natures), but every value is invented and none names anyone.

pub type Weighted = &'static [(&'static str, u32)];

/// Representation types other than complaints, per 100 representations.
pub const OTHER_TYPES: Weighted = &[
    ("Case concern", 12),
    ("Pre-complaint", 6),
    ("Refused", 6),
    ("LGSCO", 3),
    ("Ad hoc", 10),
];
/// Of 100 representations, this many are complaints in the statutory procedure.
pub const COMPLAINT_SHARE: u32 = 63;

pub const COMPLAINANTS: Weighted = &[
    ("Parent", 64),
    ("Young person", 6),
    ("Advocate", 2),
    ("Grandparent", 7),
    ("Foster carer", 6),
    ("Other relative", 6),
    ("Special guardian", 3),
    ("Professional", 3),
    ("Member of public", 3),
];

pub const METHODS: Weighted = &[
    ("Email", 40),
    ("Online form", 26),
    ("Telephone", 15),
    ("Letter", 12),
    ("In person", 4),
    ("Via advocate", 3),
];

pub const SERVICES: Weighted = &[
    ("Assessment and Intervention", 22),
    ("Children in Care", 18),
    ("Child Protection", 14),
    ("Disabled Children's Team", 11),
    ("Care Leavers", 8),
    ("Fostering", 7),
    ("Front Door (MASH)", 7),
    ("Early Help", 6),
    ("Children's Homes", 4),
    ("Adoption", 3),
];

pub const NATURES: Weighted = &[
    ("Communication", 26),
    ("Quality of service", 20),
    ("Staff conduct", 16),
    ("Delay", 12),
    ("Decision making", 11),
    ("Contact arrangements", 8),
    ("Assessment accuracy", 8),
    ("Financial support", 6),
    ("Placement", 5),
    ("Information sharing", 5),
];

pub const OUTCOMES: Weighted = &[
    ("Upheld", 15),
    ("Partially upheld", 30),
    ("Not upheld", 46),
    ("Withdrawn", 9),
];

pub const OUTCOMES_SOUGHT: Weighted = &[
    ("Explanation", 30),
    ("Apology", 28),
    ("Change of worker", 10),
    ("Service provided", 12),
    ("Change in decision", 10),
    ("Financial redress", 5),
    ("Meeting with manager", 5),
];

pub const REMEDIES_WHEN_UPHELD: Weighted = &[
    ("Apology", 40),
    ("Explanation", 25),
    ("Service provided", 14),
    ("Change to practice", 10),
    ("Meeting", 6),
    ("Payment", 5),
];

pub const REMEDIES_WHEN_NOT_UPHELD: Weighted = &[("Explanation", 85), ("Meeting", 15)];

pub const REFUSAL_REASONS: Weighted = &[
    ("Court proceedings", 40),
    ("Over 12 months old", 25),
    ("Already considered", 15),
    ("Not made on behalf of the child", 12),
    ("Another process applies", 8),
];

pub const OMBUDSMAN_DECISIONS: Weighted = &[
    ("Premature", 30),
    ("Not investigated", 20),
    ("No fault", 20),
    ("Fault and injustice", 22),
    ("Fault, no injustice", 8),
];

pub const ETHNICITIES: Weighted = &[
    ("White British", 70),
    ("White other", 5),
    ("Mixed or multiple", 6),
    ("Asian or Asian British", 5),
    ("Black or Black British", 4),
    ("Other ethnic group", 2),
    ("Not known", 8),
];

pub const LEARNING: &[&str] = &[
    "Share review minutes with families within the agreed timescale.",
    "Confirm a change of social worker to the family in writing.",
    "Return calls within two working days and record the contact.",
    "Explain the assessment outcome before the report is sent.",
    "Check contact arrangements with carers before confirming them.",
    "Record managers' decisions and the reasons for them on the file.",
    "Translate key documents where an interpreter is used.",
    "Keep the child's belongings with them when they move placement.",
];

pub const ACTIONS: &[&str] = &[
    "Team briefing on recording contact with families",
    "Reflective supervision on the complaint's learning",
    "Update the leaflet explaining assessments",
    "Refresher training on sharing minutes",
    "Review the process for changes of worker",
    "Audit a sample of files for recorded decisions",
];

pub const COMPLIMENT_SOURCES: Weighted = &[
    ("Parent", 45),
    ("Young person", 12),
    ("Foster carer", 15),
    ("Professional", 16),
    ("Grandparent", 6),
    ("Other", 6),
];

pub const COMPLIMENT_THEMES: Weighted = &[
    ("Support", 30),
    ("Communication", 22),
    ("Listening", 14),
    ("Going the extra mile", 12),
    ("Professionalism", 12),
    ("Outcome for the child", 10),
];

pub const COMPLIMENT_TEXTS: &[&str] = &[
    "Thank you for listening and for always calling back when you said you would.",
    "You explained everything clearly and made a hard time easier for our family.",
    "The support we had made a real difference to our children.",
    "You never gave up on me and I am grateful.",
    "Really well written plan that the young person could understand.",
    "Always reliable, always on time, and always kind.",
    "You helped us feel part of the decisions about our grandchildren.",
    "Thank you for going above and beyond to find the right placement.",
];

/// The good practice a compliment shows, as a service would record it.
pub const GOOD_PRACTICE: &[&str] = &[
    "Visits confirmed in writing the same day.",
    "The young person's views were recorded in their own words.",
    "Calls returned within a working day.",
    "Plans explained to the family before the meeting, not during it.",
    "The same worker stayed with the family through the assessment.",
    "Minutes shared within five working days.",
];

/// Workshops on offer to staff: the learning themes complaints raise.
pub const TRAINING: &[(&str, &str)] = &[
    (
        "Voice of the child and purposeful visits",
        "Recording children's views in their own words.",
    ),
    (
        "Safety and SMART planning",
        "Outcome-focused plans, contingency and safety planning.",
    ),
    (
        "Engaging fathers and men",
        "Keeping every parent involved throughout.",
    ),
    (
        "Chronologies, genograms and case summaries",
        "What good looks like, from recent audits.",
    ),
    (
        "Professional curiosity",
        "Barriers and enablers in practice.",
    ),
    (
        "Writing to families",
        "Clear, kind letters and reports that families understand.",
    ),
];
