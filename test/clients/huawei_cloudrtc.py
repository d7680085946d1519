# Drives roomledger with Huawei's official cloudrtc Python client (huaweicloud-sdk-python-v3,
# huaweicloudsdkcloudrtc v1): CloudRTCClient.list_rtc_client_qos_details with a typed
# request, AK/SK signing by the SDK core. It only makes the calls; the test decides.
#
# stdin:  {"endpoint": "http://127.0.0.1:8787", "ak", "sk", "projectId", "caFile"?: CA to trust,
#          "calls": [{"params": {...}, "ak"?, "sk"?, "projectId"?}]}
# stdout: one JSON list, per call {"ok": {"status", "requestId", "body"}} or
#         {"error": {"status", "code", "message", "requestId"}}.
import json
import sys

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkcloudrtc.v1 import CloudRTCClient, ListRtcClientQosDetailsRequest


def run(job, call):
    credentials = BasicCredentials(call.get("ak", job["ak"]), call.get("sk", job["sk"]), call.get("projectId", job["projectId"]))
    builder = CloudRTCClient.new_builder().with_credentials(credentials).with_endpoint(job["endpoint"])
    if job.get("caFile"):
        config = HttpConfig.get_default_config()
        config.ssl_ca_cert = job["caFile"]
        builder = builder.with_http_config(config)
    client = builder.build()
    try:
        response = client.list_rtc_client_qos_details(ListRtcClientQosDetailsRequest(**call["params"]))
    except exceptions.ClientRequestException as e:
        return {"error": {"status": e.status_code, "code": e.error_code, "message": e.error_msg, "requestId": e.request_id}}
    body = response.to_dict()
    request_id = body.pop("x_request_id", None)
    return {"ok": {"status": response.status_code, "requestId": request_id, "body": body}}


def main():
    job = json.load(sys.stdin)
    json.dump([run(job, call) for call in job["calls"]], sys.stdout)


main()
