do do do end end end
