//! A progress bar for long commands (`atende reports rebuild`, the load tool's data set).

/// A progress bar on standard error: redrawn in place on a terminal, a line every tenth otherwise.
pub struct ProgressBar {
    unit: &'static str,
    terminal: bool,
    last_tenth: usize,
}

impl ProgressBar {
    pub fn new(unit: &'static str) -> ProgressBar {
        ProgressBar {
            unit,
            terminal: std::io::IsTerminal::is_terminal(&std::io::stderr()),
            last_tenth: 0,
        }
    }

    pub fn show(&mut self, done: usize, total: usize) {
        let total = total.max(done).max(1);
        let width = 40;
        let filled = done * width / total;
        let line = format!(
            "[{}{}] {done}/{total} {} ({}%)",
            "#".repeat(filled),
            " ".repeat(width - filled),
            self.unit,
            done * 100 / total
        );
        if self.terminal {
            eprint!("\r{line}");
        } else if done * 10 / total > self.last_tenth || done == total {
            self.last_tenth = done * 10 / total;
            eprintln!("{line}");
        }
    }

    pub fn finish(&self) {
        if self.terminal {
            eprintln!();
        }
    }
}
