"""The company's KI-Toolbox: the register of AI tools, their approval and the use cases they serve."""
