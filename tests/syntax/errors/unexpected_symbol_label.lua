::top::
