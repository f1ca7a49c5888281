-- any undefined global raises the nonexistent-global error
return undefined_variable_xyz
