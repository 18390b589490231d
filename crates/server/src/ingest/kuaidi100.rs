//! Kuaidi100's subscription push (快递100 订阅推送): a form POST of `param` (JSON, the
//! tracking result: `lastResult` with `nu`, `com`, `state` and `data[]`, newest first, each with
//! `time`/`ftime`, `context` and, with `resultv2`, `status`/`statusCode`) and `sign`, the MD5 of
//! `param` followed by the subscription's salt in upper-case hex. Each entry of `data[]` is a
//! checkpoint of the parcel with that tracking number, taken through the ingest's own way in
//! (`super::take`): the same entry pushed again is kept once, an older one moves nothing.
//! Kuaidi100 is answered as its documentation asks: `{"result":true,"returnCode":"200",...}`
//! when taken; `result` false (it pushes again later) for a parcel not known yet.

use super::{take, Kind};
use crate::error::{ApiError, ApiResult};
use crate::signing;
use crate::state::AppState;
use axum::extract::{FromRequest, Request, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use md5::{Digest, Md5};
use portico_api::{Carrier, CheckpointEvent, ErrorCode};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::Sha256;

/// The form Kuaidi100 posts (`application/x-www-form-urlencoded`).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Kuaidi100Push {
    /// The tracking result, JSON.
    pub param: String,
    /// MD5 of `param` followed by the salt, upper-case hex.
    pub sign: String,
}

/// What Kuaidi100 reads back.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Kuaidi100Answer {
    pub result: bool,
    /// `200` when taken; `500` asks Kuaidi100 to push again later.
    pub return_code: String,
    pub message: String,
}

/// `param`, as far as Portico reads it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Param {
    /// Absent when Kuaidi100 only says the subscription ended (`status` `abort`) without a result.
    #[serde(default)]
    last_result: Option<LastResult>,
}

#[derive(Debug, Deserialize)]
struct LastResult {
    nu: String,
    #[serde(default)]
    com: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    data: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    #[serde(default)]
    time: String,
    #[serde(default)]
    ftime: String,
    #[serde(default)]
    context: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    status_code: String,
    #[serde(default)]
    area_name: String,
}

/// The sign Kuaidi100 computes: MD5 of `param` and the salt, upper-case hex.
pub fn sign(param: &str, salt: &str) -> String {
    let mut md5 = Md5::new();
    md5.update(param.as_bytes());
    md5.update(salt.as_bytes());
    hex::encode_upper(md5.finalize())
}

/// Kuaidi100's company code as Portico's carrier (others are `other`).
pub fn carrier(com: &str) -> Carrier {
    match com {
        "shunfeng" | "shunfengkuaiyun" => Carrier::SfExpress,
        "jd" | "jingdongkuaiyun" => Carrier::JdLogistics,
        "zhongtong" => Carrier::Zto,
        "ems" | "youzhengguonei" => Carrier::Ems,
        _ => Carrier::Other,
    }
}

/// A state as Kuaidi100 writes it (the number of `state`/`statusCode`, or the word of `status`)
/// as the checkpoint event it is (the parcel's status follows from the event:
/// `tracking::status_after`). Its documented states: 0 在途 in transit (1001 到达派件城市,
/// 1002 干线, 1003 转递), 1 揽收 picked up (101 已下单, 102 待揽收, 103 已揽收), 2 疑难
/// trouble (201-210; 203 拒收, 204 派件异常, 206 无法联系 are a failed delivery), 3 签收
/// delivered (301-304), 4 退签 returned (401), 5 派件 out for delivery (501), 6 退回 on its way
/// back, 7 转投 handed to another carrier, 8 清关 customs (10-13; 13 清关异常), 14 拒签
/// refused at the door. `None`: not a state it documents.
pub fn event(state: &str) -> Option<CheckpointEvent> {
    use CheckpointEvent as E;
    Some(match state.trim() {
        "在途" | "0" | "1001" | "1002" | "1003" | "清关" | "8" | "10" | "11" | "12" => {
            E::ArrivedFacility
        }
        "转投" | "7" => E::DepartedFacility,
        "101" | "102" => E::LabelCreated,
        "揽收" | "1" | "103" => E::PickedUp,
        "派件" | "5" | "501" => E::OutForDelivery,
        "签收" | "3" | "301" | "302" | "303" | "304" => E::Delivered,
        "拒签" | "14" | "203" | "204" | "206" => E::DeliveryAttempted,
        "疑难" | "2" | "201" | "202" | "205" | "207" | "208" | "209" | "210" | "13" => {
            E::AddressIssue
        }
        "退签" | "退回" | "4" | "401" | "6" => E::ReturnedToSender,
        _ => return None,
    })
}

/// `2026-12-07 16:33:19` in China's time zone, as an RFC 3339 time.
fn china_time(text: &str) -> Option<String> {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let at = time::PrimitiveDateTime::parse(text.trim(), &format).ok()?;
    let at = at.assume_offset(time::macros::offset!(+8));
    Some(crate::clock::rfc3339(at.unix_timestamp()).0)
}

/// `param`'s entries as checkpoint records of the parcel with its tracking number (the
/// `Kind::Tracked` records `super::take` reads); an entry whose time cannot be read is left out.
fn records(result: &LastResult) -> Vec<Value> {
    let carrier = carrier(&result.com);
    result
        .data
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| {
            let at = china_time(if entry.ftime.is_empty() {
                &entry.time
            } else {
                &entry.ftime
            })?;
            // The entry's own state, else (for the newest) the result's, else on its way.
            let event = event(&entry.status_code)
                .or_else(|| event(&entry.status))
                .or_else(|| (i == 0).then(|| event(&result.state)).flatten())
                .unwrap_or(CheckpointEvent::ArrivedFacility);
            let place = if entry.area_name.trim().is_empty() {
                &entry.context
            } else {
                &entry.area_name
            };
            let location: String = place.trim().chars().take(200).collect();
            // Known by its time and the carrier's words, whatever Portico makes of them.
            let digest = Sha256::digest(format!("{at}\n{}", entry.context.trim()).as_bytes());
            Some(json!({
                "tracking_number": result.nu,
                "carrier": carrier,
                "id": format!("k100:{}", hex::encode(&digest[..16])),
                "at": at,
                "event": event,
                "location": location,
            }))
        })
        .collect()
}

/// `Form` whose rejection is a problem document.
pub struct ApiForm<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for ApiForm<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::Form::<T>::from_request(req, state)
            .await
            .map(|form| ApiForm(form.0))
            .map_err(|rejection| ApiError::BadRequest(rejection.status(), rejection.body_text()))
    }
}

fn answered(result: bool, code: &str, message: &str) -> Response {
    Json(Kuaidi100Answer {
        result,
        return_code: code.into(),
        message: message.into(),
    })
    .into_response()
}

/// Kuaidi100's subscription push (快递100 订阅推送), signed with the deployment's salt
/// (`PORTICO_KUAIDI100_SALT`; unset, this is a 404 `disabled`). Each entry of
/// `lastResult.data[]` becomes a checkpoint of the parcel whose tracking number is
/// `lastResult.nu` (of the carrier `com` names, where several parcels share it), its state mapped
/// to Portico's parcel states. Answered as Kuaidi100 expects: `result` true and `returnCode`
/// `200` once taken; `result` false and `500` (Kuaidi100 pushes again later) when no parcel has
/// the tracking number yet. A wrong `sign` is a 401 `invalid_signature`; a `param` that is not
/// Kuaidi100's JSON a 400.
#[utoipa::path(post, path = portico_api::paths::INGEST_KUAIDI100, tag = "ingest", operation_id = "ingest_kuaidi100",
    request_body(content = Kuaidi100Push, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "Taken (`result` true), or to be pushed again later (`result` false).", body = Kuaidi100Answer),
        (status = 400), (status = 401), (status = 404), (status = 413), (status = 415), (status = 422)))]
pub async fn push(
    State(state): State<AppState>,
    ApiForm(push): ApiForm<Kuaidi100Push>,
) -> ApiResult<Response> {
    let salt = state
        .config
        .kuaidi100_salt
        .as_deref()
        .ok_or(ErrorCode::Disabled)?;
    let expected = sign(&push.param, salt);
    if !signing::same(expected.as_bytes(), push.sign.as_bytes()) {
        return Err(ApiError::Refused(
            ErrorCode::InvalidSignature,
            "sign is MD5(param + salt) in upper-case hex".into(),
        ));
    }
    let param: Param = serde_json::from_str(&push.param).map_err(|error| {
        ApiError::bad_request(format!("param is Kuaidi100's tracking result: {error}"))
    })?;
    let Some(result) = param.last_result else {
        return Ok(answered(true, "200", "nothing to take"));
    };
    let records = records(&result);
    if records.is_empty() {
        return Ok(answered(true, "200", "nothing to take"));
    }
    let report = take(&state, Kind::Tracked, &records, None).await?;
    if report.refused > 0 {
        tracing::info!(
            nu = result.nu,
            refused = report.refused,
            "a Kuaidi100 push for a parcel not known (yet)"
        );
        return Ok(answered(
            false,
            "500",
            "no parcel has this tracking number yet",
        ));
    }
    Ok(answered(true, "200", "成功"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_is_upper_case_md5_of_param_and_salt() {
        // MD5("abc") is 900150983cd24fb0d6963f7d28e17f72.
        assert_eq!(sign("ab", "c"), "900150983CD24FB0D6963F7D28E17F72");
    }

    #[test]
    fn every_documented_state_is_an_event() {
        for state in [
            "0", "1", "2", "3", "4", "5", "6", "7", "8", "10", "11", "12", "13", "14", "101",
            "102", "103", "1001", "1002", "1003", "201", "202", "203", "204", "205", "206", "207",
            "208", "209", "210", "301", "302", "303", "304", "401", "501", "在途", "揽收", "疑难",
            "签收", "退签", "派件", "退回", "转投", "清关", "拒签",
        ] {
            assert!(event(state).is_some(), "{state}");
        }
        assert_eq!(event("3"), Some(CheckpointEvent::Delivered));
        assert_eq!(event("派件"), Some(CheckpointEvent::OutForDelivery));
        assert_eq!(event("99"), None);
    }

    #[test]
    fn times_are_read_in_china() {
        assert_eq!(
            china_time("2026-12-07 16:33:19").as_deref(),
            Some("2026-12-07T08:33:19Z")
        );
        assert_eq!(china_time("yesterday"), None);
    }
}
