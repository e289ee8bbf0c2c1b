"""The limit for benchmarks/ingest.py (issue 11): the least a Django view can do to accept a response.

One view, no middleware, no access log: parse the JSON body Exceed's API takes, check its answers
against the five questions of the default "visit" survey, insert one response and its answers in
one transaction, answer 201. Exceed's paths are reported as a ratio to this, measured in the same
run, because absolute figures move by 3× between machines of the same type.
"""
