# Drives roomledger with the official Tencent Cloud Python SDK (tencentcloud-sdk-python),
# as a Python user would: a typed <Product>Client, a <Action>Request model filled from a
# dict, the typed response model back. It only makes the calls; test/clients/*.test.ts
# decides what the answers must be.
#
# stdin:  {"endpoint": "127.0.0.1:8787", "protocol": "http"|"https", "secretId", "secretKey",
#          "certification": null|path, "calls": [{"product", "version", "action", "params",
#          "signMethod", "reqMethod", "language"?}]}
# stdout: one JSON list, per call {"ok": <response model as JSON>} or
#         {"error": {"code", "message", "requestId"}}.
import importlib
import json
import sys

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile


def client_for(job, call):
    product, version = call["product"], call["version"]
    module = importlib.import_module("tencentcloud.%s.%s.%s_client" % (product, version, product))
    cls = getattr(module, product.capitalize() + "Client")
    http = HttpProfile(
        protocol=job["protocol"],
        endpoint=job["endpoint"],
        reqMethod=call["reqMethod"],
        certification=job.get("certification"),
    )
    profile = ClientProfile(signMethod=call["signMethod"], httpProfile=http, language=call.get("language", "en-US"))
    cred = credential.Credential(job["secretId"], job["secretKey"])
    return cls(cred, "ap-guangzhou", profile)


def run(job, call):
    client = client_for(job, call)
    models = importlib.import_module("tencentcloud.%s.%s.models" % (call["product"], call["version"]))
    request = getattr(models, call["action"] + "Request")()
    request.from_json_string(json.dumps(call["params"]))
    try:
        response = getattr(client, call["action"])(request)
    except TencentCloudSDKException as e:
        return {"error": {"code": e.get_code(), "message": e.get_message(), "requestId": e.get_request_id()}}
    return {"ok": json.loads(response.to_json_string())}


def main():
    job = json.load(sys.stdin)
    json.dump([run(job, call) for call in job["calls"]], sys.stdout)


main()
