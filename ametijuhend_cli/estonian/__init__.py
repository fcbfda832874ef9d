"""Estonian: the speller, the cases of titles and the closed vocabularies (Vabamorf via EstNLTK)."""
