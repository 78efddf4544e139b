//! Enums stored as their name in a text column. The stored text is the
//! enum's `as_str`; a name no variant has fails to decode, and the row
//! reads as [`StoreError::Corrupt`](super::StoreError::Corrupt) rather than
//! as some default.

/// Encodes and decodes `$enum` through the text of its `as_str`, reading
/// it back with its `parse` (`fn(&str) -> Option<Self>`).
macro_rules! stored_as_text {
    ($enum:ty) => {
        impl sqlx::Type<sqlx::Any> for $enum {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <str as sqlx::Type<sqlx::Any>>::type_info()
            }
        }

        impl<'q> sqlx::Encode<'q, sqlx::Any> for $enum {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<'q, sqlx::Any>>::encode(self.as_str(), buf)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Any> for $enum {
            fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <String as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
                Self::parse(&text)
                    .ok_or_else(|| format!("unknown {} {text:?}", stringify!($enum)).into())
            }
        }
    };
}

/// Names each variant of `$enum` for storage (`as_str`, and `parse` back)
/// and stores it as that text ([`stored_as_text`]).
macro_rules! stored_names {
    ($enum:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $enum {
            #[doc = concat!("The stored name: ", $("`", $name, "` "),+)]
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)+
                }
            }

            /// The variant whose [`Self::as_str`] is `name`; `None` for
            /// any other name.
            pub fn parse(name: &str) -> Option<Self> {
                match name {
                    $($name => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }

        super::text::stored_as_text!($enum);
    };
}

pub(super) use {stored_as_text, stored_names};
