//! The new part of a reply: people answer above the quoted history, and mail programs mark that
//! history in a few well-known ways. What is cut is kept in the stored original; only the text
//! shown on the ticket is trimmed.

/// Our own marker line, put above the text of every message we send: everything from it down is
/// history. Its words are localized; the `##-` and `-##` ends are what is looked for.
pub fn reply_marker(words: &str) -> String {
    format!("##- {words} -##")
}

fn is_marker(line: &str) -> bool {
    let line = line.trim().trim_start_matches('>').trim();
    line.starts_with("##-") && line.ends_with("-##")
}

/// An attribution line ("On Tue, Ana wrote:"), in en, es and pt, possibly broken over two lines.
fn is_attribution(line: &str) -> bool {
    let line = line.trim().to_lowercase();
    let ends = ["wrote:", "escribió:", "escribio:", "escreveu:", "a écrit :", "schrieb:"];
    let starts = ["on ", "el ", "em ", "le ", "am ", "en "];
    ends.iter().any(|e| line.ends_with(e)) && (starts.iter().any(|s| line.starts_with(s)) || line.contains('@'))
}

fn is_header_block_start(line: &str) -> bool {
    let line = line.trim();
    let lower = line.to_lowercase();
    (line.starts_with("-----")
        && (lower.contains("original") || lower.contains("mensaje") || lower.contains("mensagem")))
        || lower.starts_with("________________________________")
        || ["from:", "de:", "von:"].iter().any(|p| lower.starts_with(p)) && lower.contains('@')
}

/// The line a phone or mail program adds under every message ("Sent from my iPhone").
fn is_device_signature(line: &str) -> bool {
    let line = line.trim().to_lowercase();
    [
        "sent from my ",
        "sent from outlook",
        "sent from mail for windows",
        "sent from yahoo mail",
        "get outlook for ",
        "enviado desde mi ",
        "enviado desde outlook",
        "enviado desde correo para windows",
        "obtener outlook para ",
        "enviado do meu ",
        "enviado de meu ",
        "enviado do outlook",
        "enviado do email para windows",
        "baixe o outlook para ",
    ]
    .iter()
    .any(|p| line.starts_with(p))
        && line.len() < 80
}

/// The text a person wrote, without quoted history, without a signature after `-- ` and without
/// the line a device adds.
/// Never empty when `text` has words: a message that is all quote is kept whole.
pub fn new_text(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut end = lines.len();
    for (i, line) in lines.iter().enumerate() {
        let two = lines.get(i + 1).map(|next| format!("{} {}", line.trim(), next.trim()));
        if is_marker(line)
            || is_attribution(line)
            || (!line.trim().is_empty() && two.as_deref().is_some_and(is_attribution))
            || is_header_block_start(line)
            || *line == "-- "
            || line.trim_end() == "--"
        {
            end = i;
            break;
        }
    }
    // A trailing run of `>` lines is history even without an attribution; then the device's line.
    let blank_or_quote = |line: &str| line.trim_start().starts_with('>') || line.trim().is_empty();
    while end > 0 && blank_or_quote(lines[end - 1]) {
        end -= 1;
    }
    if end > 0 && is_device_signature(lines[end - 1]) {
        end -= 1;
        while end > 0 && lines[end - 1].trim().is_empty() {
            end -= 1;
        }
    }
    let kept = lines[..end].join("\n").trim().to_owned();
    if kept.is_empty() { text.trim().to_owned() } else { kept }
}

#[cfg(test)]
#[path = "quote_test.rs"]
mod tests;
