"""Random sequences of lifecycle calls, judged step by step against a model of the state.

- `model`: what each call must answer and what the state then is (a pure model, no endpoint);
- `machine`: the Hypothesis `RuleBasedStateMachine` that sends the calls and judges them;
- `views`: what the endpoint lists of the sequence's devices, compared with the model;
- `checks`: the two rules (answers agree, lists agree) and the numbered steps a failure shows;
- `budget`: how long a failing sequence may be shrunk against an endpoint;
- `closing`: the lists check's closing comparisons on a lagging endpoint, made side by side first;
- `alongside`: the lists check judged from the answers check's run, where that gives its verdict.
"""
