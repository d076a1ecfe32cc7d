"""The fast CPU decoder for Llama-architecture models: the layers, the compiled and native steps, the plan."""
