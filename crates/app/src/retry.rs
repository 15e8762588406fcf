//! How deliveries that failed for a while are tried again (e-mail, WhatsApp, webhooks): a minute
//! after the first failure, the pause doubling each time up to a longest one, given up after a
//! number of attempts. One rule, with each channel's own limits.

use jiff::SignedDuration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Attempts before a delivery is given up.
    pub max_attempts: i64,
    /// The longest pause between two attempts.
    pub longest: SignedDuration,
}

impl Retry {
    /// The pause after the `attempts`-th failed attempt: 1, 2, 4... minutes, at most `longest`.
    pub fn pause(&self, attempts: i64) -> SignedDuration {
        SignedDuration::from_mins(1i64 << (attempts.clamp(1, 20) - 1)).min(self.longest)
    }

    /// Whether the `attempts`-th failed attempt was the last.
    pub fn gives_up(&self, attempts: i64) -> bool {
        attempts >= self.max_attempts
    }
}

/// E-mail and the status page's webhooks: 20 hours of pauses at the least before giving up.
pub const MAIL: Retry = Retry {
    max_attempts: 12,
    longest: SignedDuration::from_hours(6),
};

/// WhatsApp: about three hours of pauses (a reply later than that is no use in a chat).
pub const WHATSAPP: Retry = Retry {
    max_attempts: 9,
    longest: SignedDuration::from_hours(1),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_up_to_the_longest_and_add_up_to_the_promised_span() {
        let minutes = |r: Retry, n: i64| r.pause(n).as_secs() / 60;
        assert_eq!((1..=4).map(|n| minutes(MAIL, n)).collect::<Vec<_>>(), [1, 2, 4, 8]);
        assert_eq!(minutes(MAIL, 12), 360);
        assert_eq!(minutes(WHATSAPP, 8), 60);
        let total = |r: Retry| (1..r.max_attempts).map(|n| r.pause(n).as_secs()).sum::<i64>() / 60;
        assert_eq!(
            total(MAIL),
            1_231,
            "1 + 2 + ... + 256 + 360 + 360 minutes: 20 hours and a half"
        );
        assert_eq!(total(WHATSAPP), 183, "about three hours");
        assert!(MAIL.gives_up(12) && !MAIL.gives_up(11));
    }
}
