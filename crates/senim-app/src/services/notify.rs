//! E-mails written to the outbox in the transaction of the change they report.

use senim_domain::lang::Lang;
use senim_store::{Result, Tx, outbox};

use crate::i18n::t_args;

/// Queues a message whose subject and body are the translations `{key}-subject` and `{key}-body`.
pub async fn mail(tx: &mut Tx<'_>, to: &str, lang: Lang, key: &str, args: &[(&'static str, String)]) -> Result<()> {
    let (subject, body) = letter(lang, key, args);
    outbox::enqueue(tx, to, &subject, &body).await?;
    Ok(())
}

/// The subject and body of a message, for [`outbox::enqueue_many`] (many messages in one go).
pub fn letter(lang: Lang, key: &str, args: &[(&'static str, String)]) -> (String, String) {
    (t_args(lang, &format!("{key}-subject"), args), t_args(lang, &format!("{key}-body"), args))
}
