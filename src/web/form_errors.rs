//! A form's error shown on the form itself. When a form breaks a rule (a 422), the page
//! comes back as the person filled it in, with the message twice, as the GOV.UK design
//! system does: in a summary at the top that links to the field, and beside the field
//! (`aria-invalid`, `aria-describedby`). The page's title starts with "Error:". Any other
//! failure (403, 404, 409, …) is still an error page.

use crate::AppError;
use crate::web::i18n::Lang;

/// The rule a submitted form broke, if any.
#[derive(Debug, Default)]
pub struct FormErrors {
    /// The id of the field the message is about (None: about the form as a whole).
    field: Option<&'static str>,
    message: String,
    shown: bool,
}

impl FormErrors {
    /// No error: the form as first shown.
    pub fn none() -> FormErrors {
        FormErrors::default()
    }

    /// The error to show on the form when `error` is a 422; any other error is given back.
    ///
    /// `fields` maps the name a message starts with (`title: must be …`) to the id of the
    /// form's field; a message naming no field of the form is shown in the summary only.
    pub fn from_error(
        error: AppError,
        lang: Lang,
        fields: &[(&str, &'static str)],
    ) -> Result<FormErrors, AppError> {
        let AppError::Invalid(message) = error else {
            return Err(error);
        };
        let named = message.split_once(':').map(|(name, _)| name.trim());
        let field = fields
            .iter()
            .find(|(name, _)| Some(*name) == named)
            .map(|(_, id)| *id);
        Ok(FormErrors {
            field,
            message: translated(lang, &message),
            shown: true,
        })
    }

    /// Whether there is an error to show.
    pub fn any(&self) -> bool {
        self.shown
    }

    /// The summary's link target and message.
    pub fn summary(&self) -> Option<(&str, &str)> {
        self.shown
            .then(|| (self.field.unwrap_or("main"), self.message.as_str()))
    }

    /// The message beside field `id`, if it is the one in error.
    pub fn get(&self, id: &str) -> Option<&str> {
        (self.shown && self.field == Some(id)).then_some(self.message.as_str())
    }

    /// The accessibility attributes of field `id`: its error (when it is the one in error)
    /// and its `help` text's id (may be empty) in `aria-describedby`, and `aria-invalid`.
    /// Built only from ids written in the templates, so it is safe to insert unescaped.
    pub fn attrs(&self, id: &str, help: &str) -> String {
        let invalid = self.get(id).is_some();
        let mut described: Vec<String> = Vec::new();
        if invalid {
            described.push(format!("{id}-error"));
        }
        if !help.is_empty() {
            described.push(help.to_string());
        }
        let mut out = String::new();
        if !described.is_empty() {
            out.push_str(&format!(" aria-describedby=\"{}\"", described.join(" ")));
        }
        if invalid {
            out.push_str(" aria-invalid=\"true\"");
        }
        out
    }
}

/// The message in the reader's language, when the catalogue has it.
fn translated(lang: Lang, message: &str) -> String {
    crate::web::i18n::translate_detail(lang, message).unwrap_or_else(|| message.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &[(&str, &str)] = &[("title", "title"), ("in-reply-to", "in_reply_to")];

    #[test]
    fn a_422_naming_a_field_is_shown_beside_it_and_other_errors_pass_through() {
        let e = AppError::Invalid("title: must be 1 to 200 characters".into());
        let errors = FormErrors::from_error(e, Lang::En, FIELDS).unwrap();
        assert!(errors.any());
        assert_eq!(
            errors.get("title"),
            Some("title: must be 1 to 200 characters")
        );
        assert_eq!(errors.get("body"), None);
        assert_eq!(
            errors.summary(),
            Some(("title", "title: must be 1 to 200 characters"))
        );
        assert_eq!(
            errors.attrs("title", "title-help"),
            r#" aria-describedby="title-error title-help" aria-invalid="true""#
        );
        assert_eq!(
            errors.attrs("body", "body-help"),
            r#" aria-describedby="body-help""#
        );
        assert_eq!(errors.attrs("body", ""), "");

        let e = AppError::Invalid("in-reply-to: 'x' is not a URL".into());
        let errors = FormErrors::from_error(e, Lang::En, FIELDS).unwrap();
        assert!(errors.get("in_reply_to").is_some());

        let e = AppError::Invalid("latitude/longitude: give both or neither".into());
        let errors = FormErrors::from_error(e, Lang::En, FIELDS).unwrap();
        assert_eq!(errors.summary().map(|s| s.0), Some("main"));

        let e = AppError::Forbidden("not a member".into());
        assert!(matches!(
            FormErrors::from_error(e, Lang::En, FIELDS),
            Err(AppError::Forbidden(_))
        ));
        assert!(!FormErrors::none().any());
        assert_eq!(FormErrors::none().summary(), None);
    }
}
