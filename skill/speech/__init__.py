"""Speech output: the last stage, turning rendered lines into sound."""
