-- POST /v1/matrix/search over three corpora (one gated), playbooks on; the role comes from the rules.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query_text":"Need 5 pickers in Detroit for Acme","corpora":["workers","job_orders","workers_b"],' ..
           '"k":10,"use_playbook":true}'
