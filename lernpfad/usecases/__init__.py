"""The use-case register (KI-Potenzialanalyse) of each department."""
