//! An answer's JSON text on its way to JavaScript, copied once, from the body the core read.
//!
//! ASCII text (most JSON) is handed to V8 as Latin-1, which it copies as it is; as UTF-8 V8 would decode it
//! again, a second pass over a page already checked here. The check runs on the runtime's thread, so the event
//! loop's thread only copies.

use bytes::Bytes;
use napi::bindgen_prelude::{ToNapiValue, TypeName, ValueType};
use napi::sys;

pub struct Text {
    body: Bytes,
    ascii: bool,
}

impl Text {
    /// The body as text, or the error a body that is not UTF-8 is.
    pub fn of(body: Bytes) -> toriihq::Result<Text> {
        let ascii = body.is_ascii();
        if !ascii {
            toriihq::dynamic::body_text(&body)?;
        }
        Ok(Text { body, ascii })
    }
}

impl ToNapiValue for Text {
    unsafe fn to_napi_value(env: sys::napi_env, text: Self) -> napi::Result<sys::napi_value> {
        let mut value = std::ptr::null_mut();
        let (bytes, length) = (text.body.as_ptr().cast(), text.body.len() as isize);
        let status = if text.ascii {
            unsafe { sys::napi_create_string_latin1(env, bytes, length, &mut value) }
        } else {
            unsafe { sys::napi_create_string_utf8(env, bytes, length, &mut value) }
        };
        napi::check_status!(status, "the answer's text could not be made a string")?;
        Ok(value)
    }
}

impl TypeName for Text {
    fn type_name() -> &'static str {
        "String"
    }

    fn value_type() -> ValueType {
        ValueType::String
    }
}
