"""FilterSets for orders; one module per API family."""
