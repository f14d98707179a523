//! Which rows a subtotal adds up, as the layout shows it: a row printed under a rule line
//! totals the rows above it back to the previous rule (within its section).

use crate::layout::{Rule, Table};

/// (total row, component rows) for every subtotal of a table.
pub fn groups(t: &Table) -> Vec<(usize, Vec<usize>)> {
    let mut out = Vec::new();
    for (i, r) in t.rows.iter().enumerate() {
        if r.rule_above != Rule::Single || i == 0 {
            continue;
        }
        let mut comps = Vec::new();
        let mut k = i;
        while k > 0 {
            k -= 1;
            let c = &t.rows[k];
            if c.sections != r.sections && !c.sections.is_empty() && !r.sections.starts_with(&c.sections) {
                break;
            }
            if c.rule_above == Rule::Double {
                break;
            }
            comps.push(k);
            if c.rule_above == Rule::Single {
                break;
            }
        }
        comps.reverse();
        if comps.len() >= 2 {
            out.push((i, comps));
        }
    }
    out
}
