"""CreateVirtualMFADevice with requests that break exactly one constraint of the model.

`gather` sends such a request (`strategies.invalid` builds it, `strategies.violations` says what it
breaks) and observes the answer; `checks` judges it (refused, as a client fault, with a known code, the
code's status, as AWS answers) and whether a refused create left anything behind. What real AWS answers
per violated constraint is in `aws_observed`.
"""
