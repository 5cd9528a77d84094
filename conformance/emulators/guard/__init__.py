"""The network guard's folder, put first on an emulator's ``PYTHONPATH`` (see ``sitecustomize``)."""
