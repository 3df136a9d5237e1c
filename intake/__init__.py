"""The receiving side: reporters' submissions received, checked for signature
and reach, and stored in the inbox for the ETL's loader (issue 11).

signatures.py verifies a submission's detached CMS (PKCS#7) signature against
the trust store and the certificate registry (auth/certs.py). Layer: intake may
import core, settings, store, data, etl, components and auth (tools/layers.py).
"""
