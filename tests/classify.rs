//! The classifier's contract: `tenderscope classify` prints one JSON object per non-empty
//! input line with text, kind, principles, themes, measures, score and rules; and the kinds,
//! measures and principles behave as the codebook (../shared/PRINCIPLES.md) says.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;
use tenderscope::classify::{MeasureKind, MeasureValue, RuleSet, StatementKind};
use tenderscope::document::{Block, BlockKind, Document, Format, Metadata};
use tenderscope::passage::segment;

fn run_classify(args: &[&str], input: &str) -> (Vec<Value>, String, Option<i32>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tenderscope"))
        .arg("classify")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let values = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (
        values,
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

fn kind_of(text: &str) -> StatementKind {
    let rules = RuleSet::embedded().unwrap();
    rules.classifier(None).unwrap().classify(text).kind
}

#[test]
fn cli_prints_one_object_per_non_empty_line_in_order() {
    let input = "We will recruit 12 apprentices from Crewe by March 2026.\n\n   \nLast year we planted 2,000 trees.\n";
    let (out, stderr, code) = run_classify(&["-"], input);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(out.len(), 2);
    let first = &out[0];
    assert_eq!(
        first["text"],
        "We will recruit 12 apprentices from Crewe by March 2026."
    );
    assert_eq!(first["kind"], "commitment");
    assert_eq!(first["principles"][0], "CE9");
    assert!(first["themes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "apprenticeships"));
    let measures = first["measures"].as_array().unwrap();
    let find = |k: &str| {
        measures
            .iter()
            .find(|m| m["kind"] == k)
            .unwrap_or_else(|| panic!("no {k}: {first}"))
    };
    assert_eq!(find("count")["value"], 12.0);
    assert_eq!(find("count")["unit"], "apprentice");
    assert_eq!(find("count")["text"], "12 apprentices");
    assert_eq!(find("place")["value"], "Crewe");
    assert_eq!(find("date")["value"], "2026-03");
    assert!(first["score"].as_u64().unwrap() >= 3);
    let rules = first["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r == "commit.we-will"), "{first}");
    assert!(rules.iter().any(|r| r == "measure.count"), "{first}");
    assert_eq!(first["framework"], "cheshire-east");
    assert_eq!(out[1]["kind"], "track_record");
}

#[test]
fn cli_reads_a_file_and_takes_a_framework_and_a_rule_directory() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("passages.txt");
    std::fs::write(&file, "All staff will be paid the Real Living Wage.\n").unwrap();
    let rules = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");
    let (out, stderr, code) = run_classify(
        &[
            "--framework",
            "marmot",
            "--rules",
            rules,
            file.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(out[0]["framework"], "marmot");
    let p: Vec<&str> = out[0]["principles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(p.contains(&"M3") && p.contains(&"M4"), "{p:?}");
    let (_, stderr, code) = run_classify(&["--framework", "nope"], "x\n");
    assert_eq!(code, Some(2));
    assert!(stderr.contains("unknown framework `nope`"), "{stderr}");
}

#[test]
fn cli_survives_hostile_input() {
    let long = "we will ".repeat(200_000);
    let input = format!(
        "{long}\n\u{0}\u{ffff} £££ 999999999999999999999999 apprentices\nWe will plant 5 trees.\n"
    );
    let (out, stderr, code) = run_classify(&["-"], &input);
    assert_eq!(code, Some(1), "the over-long line is reported: {stderr}");
    assert!(stderr.contains("line 1: longer than"), "{stderr}");
    assert_eq!(out.len(), 2);
    assert_eq!(out[1]["kind"], "commitment");
}

/// An intention dated by "from" or "by" before it is a target; a date at the very start of the
/// passage, with no word before it, must not trip the look back for that word.
#[test]
fn an_intention_dated_before_it_is_a_target() {
    assert_eq!(
        kind_of("From September 2026 we aim to offer two supported internships a year."),
        StatementKind::Commitment
    );
    assert_eq!(
        kind_of("By 2028 we intend to run a fully electric fleet."),
        StatementKind::Commitment
    );
    assert_eq!(
        kind_of("Since 2019 we have aimed to recruit locally."),
        StatementKind::TrackRecord
    );
    for text in [
        "2026 we aim to recruit locally.",
        "2026",
        "y 2026 we aim to",
        "é2026 we aim",
    ] {
        let _ = kind_of(text);
    }
}

#[test]
fn negation_and_refusal() {
    assert_eq!(
        kind_of("We will not use zero-hours contracts."),
        StatementKind::Commitment
    );
    assert_eq!(
        kind_of("Under no circumstances will we use umbrella companies."),
        StatementKind::Commitment
    );
    assert_eq!(
        kind_of("We will not be able to offer apprenticeships."),
        StatementKind::None
    );
    assert_eq!(
        kind_of("We are unable to guarantee any local recruitment."),
        StatementKind::None
    );
    assert_eq!(
        kind_of("While we will not be able to offer apprenticeships, we will provide two work experience placements."),
        StatementKind::Commitment
    );
    // The "will" of the reason given for a refusal promises nothing.
    assert_eq!(
        kind_of("We cannot open a depot in Sandbach, as the work will be run from our Stoke yard."),
        StatementKind::None
    );
    assert_eq!(
        kind_of(
            "We cannot open a depot in Sandbach, but we will hire four drivers who live there."
        ),
        StatementKind::Commitment
    );
    assert_eq!(
        kind_of(
            "We will not be able to offer a site office, as the works will be managed from Stoke."
        ),
        StatementKind::None
    );
}

#[test]
fn questions_results_rows_and_upkeep_promise_nothing() {
    for text in [
        // The document's own upkeep.
        "This page will be updated when our audited figures are ready.",
        "We will refresh this guide next year to reflect new regulations.",
        // A promise to obey the law and nothing more.
        "We shall comply with all relevant health and safety legislation, including the CDM Regulations 2015.",
    ] {
        assert_eq!(kind_of(text), StatementKind::None, "{text}");
    }
    // A question's verbs promise nothing; the answer after it decides.
    assert_eq!(
        kind_of("Q: Will the council split big contracts into lots? A: We try to where we can."),
        StatementKind::Aspiration
    );
    // A monitoring table's results row reports what was delivered.
    for text in [
        "KPI 4 | Local people employed on the contract | Target 60% | Actual 64% | Green",
        "Spend with local SMEs | Target £250,000 | Actual: £301,400 | 121% of target",
    ] {
        assert_eq!(kind_of(text), StatementKind::TrackRecord, "{text}");
    }
    // So does a short row of a results table, a label and its figure, too short to be a
    // statement; a short label with no figure, or a year, stays a heading.
    for text in [
        "Staff volunteering hours | 280",
        "Mental health first aiders trained: 9",
        "Apprentices Completing Their Course: 7",
    ] {
        assert_eq!(kind_of(text), StatementKind::TrackRecord, "{text}");
    }
    for text in ["Staff volunteering: 2025", "Mental health first aid"] {
        assert_eq!(kind_of(text), StatementKind::None, "{text}");
    }
    // The same row with no result yet is a commitment.
    assert_eq!(
        kind_of("KPI 4 | Local people employed on the contract | Target 60% | By March 2027"),
        StatementKind::Commitment
    );
    // A plan's row whose figure is a bare count or a month of the contract is a deliverable;
    // a header row naming the columns is not.
    for text in [
        "Monitoring | Social value return to the council | 4 per year | From contract start",
        "Careers talks at local schools | Site manager | Month 4 | Termly",
    ] {
        assert_eq!(kind_of(text), StatementKind::Commitment, "{text}");
    }
    assert_ne!(
        kind_of("Ref | Social value measure | Unit | Indicative target (Year 1)"),
        StatementKind::Commitment
    );
    // Going beyond the law is a promise.
    assert_eq!(
        kind_of(
            "We will comply with all employment law and pay every cleaner the Real Living Wage."
        ),
        StatementKind::Commitment
    );
}

#[test]
fn hedges_are_aspirations() {
    for text in [
        "Where possible, we will recruit from Crewe.",
        "We aim to recruit up to 5 apprentices by 2026, subject to demand.",
        "We hope to support local schools.",
        "We are committed to supporting the local economy.",
        "We may be able to host site visits.",
        // The figure describes the firm, not what it commits to.
        "With 1,200 staff across 14 depots, we remain committed to supporting local charities.",
        // A date after "since" says how long, it sets no deadline.
        "We remain committed to hiring locally, as set out in our charter since 2017.",
    ] {
        assert_eq!(kind_of(text), StatementKind::Aspiration, "{text}");
    }
    assert_eq!(
        kind_of("We are committed to paying every member of staff on this contract the Real Living Wage."),
        StatementKind::Commitment
    );
    assert_eq!(
        kind_of("With 300 staff, Acme Ltd is committed to reaching net zero by 2040."),
        StatementKind::Commitment
    );
    // A lead-in promises what follows it.
    assert_eq!(
        kind_of(
            "We have adopted the following targets. Site emissions 46% lower within five years."
        ),
        StatementKind::Commitment
    );
}

#[test]
fn an_intention_with_a_figure_and_a_date_is_a_target() {
    for text in [
        "We aim to plant 600 trees across our depots by 2029.",
        "By 2030 we want a third of our drivers to come from the borough.",
        "Our objective is to halve site waste sent to landfill, cutting it by 50% within four years.",
        // A date after the intention is a deadline, with or without a figure, and "will aim
        // to" is an intention like "aim to".
        "We aim to put our delivery figures online by June 2027.",
        "The board will aim to raise its spend with local firms to a fifth by March 2028.",
    ] {
        assert_eq!(kind_of(text), StatementKind::Commitment, "{text}");
    }
    for text in [
        // No figure, or no time: an intention, not a target.
        "We aim to recruit locally.",
        "We plan to take on more apprentices in future.",
        "We aim to answer every enquiry within two working days.",
        "We will aim for half of new hires to come from the town.",
        // A programme's purpose, not the writer's promise.
        "The scheme aims to build 300 homes by 2031.",
        // An intention to look into something.
        "We plan to explore 2 new community energy sites by 2028.",
        // An intention beside a promise that is not one ("will depend").
        "We aim to cut readmissions, though results will depend on others.",
    ] {
        assert_eq!(kind_of(text), StatementKind::Aspiration, "{text}");
    }
}

#[test]
fn tense_and_third_person() {
    assert_eq!(
        kind_of("Last year we recruited 12 apprentices in Crewe."),
        StatementKind::TrackRecord
    );
    assert_eq!(
        kind_of("Since 2019 we have planted 5,000 trees."),
        StatementKind::TrackRecord
    );
    assert_eq!(
        kind_of("We have delivered 300 hours of volunteering with local charities."),
        StatementKind::TrackRecord
    );
    assert_eq!(
        kind_of("The Contractor shall pay all staff the Real Living Wage."),
        StatementKind::Commitment
    );
    assert_eq!(
        kind_of("All staff will be paid at least the Real Living Wage."),
        StatementKind::Commitment
    );
    assert_eq!(
        kind_of("Last year we recruited 10 apprentices; on this contract we will recruit 12."),
        StatementKind::Commitment
    );
}

#[test]
fn neutral_advice_keeps_its_principles_and_navigation_does_not() {
    let rules = RuleSet::embedded().unwrap();
    let classifier = rules.classifier(None).unwrap();
    let principles = |text: &str| {
        let c = classifier.classify(text);
        assert_eq!(c.kind, StatementKind::None, "{text}");
        let ids: Vec<String> = c.principles.iter().map(|p| p.id.to_string()).collect();
        (ids, c.kind_rules)
    };
    // General advice in no one's voice promises and claims nothing, but is about fair pay and
    // carbon: the cue that makes it `none` keeps its principles.
    let (ids, why) =
        principles("Contractors should pay every worker at least the Real Living Wage.");
    assert_eq!(ids, ["CE7"]);
    assert!(why.iter().all(|r| r.as_str() == "none.generic"), "{why:?}");
    let (ids, _) =
        principles("Suppliers can reduce their carbon emissions by switching to electric vans.");
    assert_eq!(ids, ["CE9"]);
    // A page footer names a topic and evidences nothing.
    let (ids, why) = principles("Page 4 of 20 | Modern slavery");
    assert!(ids.is_empty(), "{ids:?}");
    assert!(
        why.iter().any(|r| r.as_str() == "none.navigation"),
        "{why:?}"
    );
}

#[test]
fn terms_navigation_and_company_descriptions_are_none() {
    for text in [
        "The Contractor shall indemnify the Council against all claims.",
        "Invoices will be submitted monthly in arrears.",
        "Page 3 of 12",
        "Please describe how you will deliver social value on this contract.",
        "Acme Ltd was founded in 1987 and employs 230 people across five offices.",
    ] {
        assert_eq!(kind_of(text), StatementKind::None, "{text}");
    }
    let rules = RuleSet::embedded().unwrap();
    let c = rules
        .classifier(None)
        .unwrap()
        .classify("We will not be able to offer apprenticeships.");
    assert!(c.principles.is_empty(), "a refusal evidences no principle");
    assert!(c.rules.iter().any(|r| r.as_str() == "refusal.unable"));
    // Who the supplier is does not undo a dated promise in the same sentence.
    assert_eq!(
        kind_of("Founded in 2001, Acme Ltd is committed to reaching net zero by 2040."),
        StatementKind::Commitment
    );
    assert_eq!(
        kind_of("Founded in 2001, Acme Ltd is a contractor serving schools in Crewe."),
        StatementKind::None
    );
    // What a business sells is a description even in social value's words (care, health);
    // a claim or a promise beside it still decides.
    let c = rules.classifier(None).unwrap().classify(
        "Larch Care provides home care and mental health services across the North West.",
    );
    assert_eq!(c.kind, StatementKind::None);
    assert!(
        c.rules.iter().any(|r| r.as_str() == "none.business"),
        "{:?}",
        c.rules
    );
    assert!(c.principles.is_empty());
    assert_eq!(
        kind_of("Larch Care provides home care services across the North West and will recruit 12 carers from Crewe by 2027."),
        StatementKind::Commitment
    );
    assert_eq!(
        kind_of("We specialise in home care, and since 2020 we have trained 40 carers in dementia care."),
        StatementKind::TrackRecord
    );
    // The present tense of a description is not a claim of practice; a claim beside it is.
    assert_eq!(
        kind_of("We operate in the home care sector, where most carers are paid by the hour."),
        StatementKind::None
    );
    assert_eq!(
        kind_of("We specialise in home care and we pay all our carers the Real Living Wage."),
        StatementKind::TrackRecord
    );
    // A second verb joined to the description's ("... and pay ...") is a claim too.
    assert_eq!(
        kind_of("We specialise in home care and pay all our carers the Real Living Wage."),
        StatementKind::TrackRecord
    );
    // Without the description, the same kind of themed statement is a claim of practice.
    assert_eq!(
        kind_of("Our carers support people with dementia to live at home."),
        StatementKind::TrackRecord
    );
}

#[test]
fn measures_are_normalised() {
    let rules = RuleSet::embedded().unwrap();
    let c = rules.classifier(None).unwrap();
    let m = |text: &str| c.classify(text).measures;
    let value = |text: &str, kind: MeasureKind| {
        m(text)
            .into_iter()
            .find(|x| x.kind == kind)
            .unwrap_or_else(|| panic!("no {kind} in {text:?}"))
    };
    assert_eq!(
        value("a fund of £15,000", MeasureKind::Money).value,
        MeasureValue::Number(15000.0)
    );
    assert_eq!(
        value("a £5k grant", MeasureKind::Money).value,
        MeasureValue::Number(5000.0)
    );
    let big = value("£1.2m of local spend", MeasureKind::Money);
    assert_eq!(big.value, MeasureValue::Number(1_200_000.0));
    assert_eq!(big.unit.as_deref(), Some("GBP"));
    assert_eq!(
        value("£500 per annum", MeasureKind::Money).unit.as_deref(),
        Some("GBP/year")
    );
    assert_eq!(
        value("cut emissions by 30%", MeasureKind::Percent).value,
        MeasureValue::Number(30.0)
    );
    assert_eq!(
        value("500 volunteering hours", MeasureKind::Hours).value,
        MeasureValue::Number(500.0)
    );
    assert_eq!(
        value("3.5 FTE roles", MeasureKind::Fte).value,
        MeasureValue::Number(3.5)
    );
    let d = value("within six months of award", MeasureKind::Duration);
    assert_eq!(
        (d.value, d.unit.as_deref()),
        (MeasureValue::Number(6.0), Some("month"))
    );
    assert_eq!(
        value("respond within 24 hours", MeasureKind::Duration)
            .unit
            .as_deref(),
        Some("hour")
    );
    assert_eq!(
        value("by 2027", MeasureKind::Date).value,
        MeasureValue::Text("2027".into())
    );
    assert_eq!(
        value("by March 2026", MeasureKind::Date).value,
        MeasureValue::Text("2026-03".into())
    );
    // Counts written as bids write them: a thousand as k, "no." for "number of".
    let k = value("We will plant 1.5k trees.", MeasureKind::Count);
    assert_eq!(
        (k.value, k.unit.as_deref()),
        (MeasureValue::Number(1500.0), Some("tree"))
    );
    let no = value("We will train 15no. operatives.", MeasureKind::Count);
    assert_eq!(
        (no.value, no.unit.as_deref()),
        (MeasureValue::Number(15.0), Some("operative"))
    );
    let count = value("We will plant 2,000 native trees.", MeasureKind::Count);
    assert_eq!(
        (count.value, count.unit.as_deref()),
        (MeasureValue::Number(2000.0), Some("native tree"))
    );
    assert_eq!(
        value("jobs in Macclesfield", MeasureKind::Place).value,
        MeasureValue::Text("Macclesfield".into())
    );
    assert_eq!(
        value("two care leavers", MeasureKind::Group).value,
        MeasureValue::Text("care_leavers".into())
    );
    // Labels and years are not counts; £ amounts are money, not counts.
    for text in [
        "Level 2 qualifications",
        "Year 10 pupils",
        "in 2023 our crews helped",
        "a £2,500 budget for local groups",
    ] {
        assert!(
            m(text).iter().all(|x| x.kind != MeasureKind::Count),
            "{text}: {:?}",
            m(text)
        );
    }
}

#[test]
fn principles_come_with_their_evidence_most_specific_first() {
    let rules = RuleSet::embedded().unwrap();
    let c = rules.classifier(None).unwrap().classify(
        "We will join the Cheshire and Merseyside Social Value Network and report our KPIs quarterly.",
    );
    let ids: Vec<&str> = c.principles.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids.first(), Some(&"CE14"), "{ids:?}");
    assert!(ids.contains(&"CE8"));
    let ce14 = &c.principles[0];
    assert!(ce14
        .themes
        .iter()
        .any(|t| t.as_str() == "social-value-network"));
    assert!(ce14
        .evidence
        .iter()
        .any(|e| e.text.contains("Social Value Network")));
    assert!(c.principles.windows(2).all(|w| w[0].weight >= w[1].weight));
}

#[test]
fn specificity_score_has_reasons() {
    let rules = RuleSet::embedded().unwrap();
    let c = rules.classifier(None).unwrap();
    let smart = c.classify("We will recruit 4 care leavers from Crewe into apprenticeships on this contract by March 2026.");
    assert_eq!(smart.specificity.score, 5, "{:?}", smart.specificity);
    let vague = c.classify("We are committed to social value.");
    assert_eq!(vague.specificity.score, 0);
    assert!(vague.specificity.reasons.is_empty());
}

#[test]
fn a_list_item_is_classified_with_its_lead_in() {
    let doc = Document {
        sha256: "00ff".into(),
        format: Format::Docx,
        pages: 1,
        metadata: Metadata::default(),
        has_revisions: false,
        page_info: Vec::new(),
        warnings: Vec::new(),
        blocks: vec![
            Block::new(
                BlockKind::Paragraph,
                1,
                "Over the life of the contract we will:",
            ),
            Block::new(
                BlockKind::ListItem { level: 0 },
                1,
                "recruit 6 apprentices from Nantwich;",
            ),
            Block::new(
                BlockKind::ListItem { level: 0 },
                1,
                "plant 500 trees in local parks.",
            ),
        ],
    };
    let rules = RuleSet::embedded().unwrap();
    let c = rules.classifier(None).unwrap();
    let passages = segment(&doc);
    assert_eq!(passages.len(), 3);
    let item = &passages[1];
    // Alone, the item is still an undertaking (the codebook: imperative bullets of a list of
    // undertakings are commitments even when the lead-in is lost) ...
    assert_eq!(c.classify(&item.text).kind, StatementKind::Commitment);
    let with_lead_in = c.classify(&item.context_text());
    assert_eq!(with_lead_in.kind, StatementKind::Commitment);
    assert_eq!(with_lead_in.principles[0].id.as_str(), "CE9");
    // ... and a lead-in that hedges makes its items aspirations.
    let hedged = c.classify(&format!(
        "Where budgets allow we will seek to: {}",
        item.text
    ));
    assert_eq!(hedged.kind, StatementKind::Aspiration, "{hedged:?}");
}

#[test]
fn a_will_in_an_aside_does_not_make_a_claim_a_promise() {
    for text in [
        "The new sports hall, which will open next spring, was paid for by our community fund.",
        "Our link with the youth club, which will reach its tenth year in 2027, has given 400 young people a first job.",
    ] {
        assert_eq!(kind_of(text), StatementKind::TrackRecord, "{text}");
    }
    // The main clause's own "will" still promises.
    assert_eq!(
        kind_of("The council will build a new hall, which will open in 2027."),
        StatementKind::Commitment
    );
}
